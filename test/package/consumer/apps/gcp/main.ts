import { App } from 'cdktf';
import { ServingStack } from './stacks';

const app = new App();
new ServingStack(app, 'consumer-gcp');
app.synth();
