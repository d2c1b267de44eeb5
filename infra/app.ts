import { App } from 'aws-cdk-lib';
import { readConfig } from './config.ts';
import { definePortal } from './stacks/portal.ts';

const app = new App();
definePortal(app, readConfig(app.node));
app.synth();
