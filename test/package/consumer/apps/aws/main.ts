import { App } from 'cdktf';
import { InferenceStack } from './stacks';

const app = new App();
new InferenceStack(app, 'consumer-aws');
app.synth();
