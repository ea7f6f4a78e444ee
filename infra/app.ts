/** Entry point of `npx cdk synth` / `npx cdk deploy --all` (see cdk.json): context comes from cdk.json and `-c`. */
import { buildApp } from './review-app.ts';

buildApp().app.synth();
