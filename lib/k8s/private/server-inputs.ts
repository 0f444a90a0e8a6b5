import { IConstruct } from 'constructs';
import { ModelSpec, ValidationError } from '../../core';
import { describeValue } from '../../core/validation';
import { WeightsSource } from '../weights';

// Type checks of the props every model server takes (ModelServer, LlamaCppServer): a JavaScript
// app may pass anything, and each is used as an object before any other check would see it.

/** `model` is a ModelSpec, or a ValidationError naming it. */
export function assertModelSpec(scope: IConstruct, model: unknown): asserts model is ModelSpec {
  if (!(model instanceof ModelSpec)) {
    throw new ValidationError(
      `'model' (${model === undefined ? 'not set' : describeValue(model)}) must be a ModelSpec, for example ModelSpec.LLAMA_3_1_8B.`,
      scope,
      'type',
    );
  }
}

/** `weights` is a WeightsSource, or a ValidationError naming it and its factories. */
export function assertWeightsSource(scope: IConstruct, weights: unknown): asserts weights is WeightsSource {
  if (!(weights instanceof WeightsSource)) {
    throw new ValidationError(
      `'weights' (${weights === undefined ? 'not set' : describeValue(weights)}) must be a WeightsSource: ` +
        `WeightsSource.huggingFace('org/model'), .bucket('s3://bucket/prefix/'), .volume('claim', { ... }) or .cache(cache).`,
      scope,
      'type',
    );
  }
}
