/** What the global setup hands every test file through `inject()`. */
declare module 'vitest' {
  export interface ProvidedContext {
    /** The one DynamoDB Local of this test run. */
    dynamoEndpoint: string;
  }
}

export {};
