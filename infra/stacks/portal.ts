import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { groups, routes } from '#functions/http/routes';
import type { PortalConfig } from '../config.ts';
import { ApiStack } from './api-stack.ts';
import { DataStack } from './data-stack.ts';

export interface RegionStacks {
  region: string;
  data: DataStack;
  api: ApiStack;
}

/**
 * The whole app: a data stack and an API stack in each configured region,
 * both checked by cdk-nag's AwsSolutions and Serverless packs. Stacks are
 * named after stage and region so stages and regions never collide in one
 * account; every resource inside gets a generated physical name.
 */
export const definePortal = (app: App, config: PortalConfig): RegionStacks[] => {
  const stacks = config.regions.map((region) => {
    const env = { region, ...(config.account ? { account: config.account } : {}) };
    const tags = { project: 'partner-portal', stage: config.stage };
    const prefix = `PartnerPortal-${config.stage}-${region}`;
    const data = new DataStack(app, `${prefix}-Data`, {
      env,
      tags,
      stage: config.stage,
      description: `Partner Portal state (${config.stage})`,
    });
    const api = new ApiStack(app, `${prefix}-Api`, {
      env,
      tags,
      description: `Partner Portal API and functions (${config.stage})`,
      config,
      data,
      groups: Object.values(groups),
      routes,
    });
    return { region, data, api };
  });
  // cdk-nag 3 runs as CDK validation plugins: a violation fails synthesis, and the report lands in cdk.out.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }), new ServerlessChecks(app, { verbose: true }));
  return stacks;
};
