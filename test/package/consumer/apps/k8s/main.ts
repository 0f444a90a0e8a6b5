import { App } from 'cdktf';
import { build } from './stacks';

const app = new App();
build(app);
app.synth();
