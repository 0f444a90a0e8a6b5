/**
 * Every example app in one cdktf App: the root cdktf.json points here, so `npm run synth`
 * synthesizes all reference architectures with the real cdktf CLI. Each example is also a
 * runnable app of its own (`node .build/examples/<name>/main.js`).
 */
import { App } from 'cdktf';
import { build as awsInference } from './aws-inference/main';
import { build as awsTraining } from './aws-training/main';
import { build as awsTrainingKarpenter } from './aws-training-karpenter/main';
import { build as gcpInference } from './gcp-inference/main';
import { build as gcpTraining } from './gcp-training/main';
import { build as k8sServing } from './k8s-serving/main';
import { build as k8sTraining } from './k8s-training/main';
import { build as k8sTrainingSlurm } from './k8s-training-slurm/main';
import { build as quickstart } from './quickstart/main';
import { build as servingPlan } from './serving-plan/main';

const app = new App();
servingPlan(app);
quickstart(app);
awsTraining(app);
awsTrainingKarpenter(app);
awsInference(app);
gcpTraining(app);
gcpInference(app);
k8sServing(app);
k8sTraining(app);
k8sTrainingSlurm(app);
app.synth();
