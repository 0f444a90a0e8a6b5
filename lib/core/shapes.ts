import { Accelerator } from './accelerator';
import { ValidationError } from './errors';
import { VALIDATION_CODES, Validate, describeValue } from './validation';
import { HourlyPrice } from './pricing';

/**
 * A cloud machine shape with GPUs: an EC2 instance type or a GCE machine type. Each cloud
 * module keeps its own catalogue of shapes (`aws.GPU_INSTANCE_TYPES`, `gcp.GPU_MACHINE_TYPES`)
 * and extends this with its own facts.
 */
export interface GpuShape {
  /** Instance / machine type name, for example `p5.48xlarge` or `a3-megagpu-8g`. */
  readonly name: string;
  /** The GPU model. */
  readonly accelerator: Accelerator;
  /** GPUs per node. */
  readonly gpuCount: number;
  /** vCPUs. */
  readonly vcpus: number;
  /** Host memory, GiB. */
  readonly memoryGiB: number;
  /**
   * On-demand hourly price in the catalogue's reference region.
   * @default - no price known; the cost estimate leaves the shape out and says so
   */
  readonly onDemandPrice?: HourlyPrice;
}

/** Why an accelerator a cloud lacks has a nearest alternative, for error messages. */
export interface ShapeAlternative {
  /** The accelerator the cloud lacks. */
  readonly missing: Accelerator;
  /** Nearest alternatives with a short reason each. */
  readonly suggestions: string[];
}

/**
 * Finds the shape with `gpus` x `accelerator` in a catalogue. When several shapes match, the
 * first in catalogue order wins (catalogues list the preferred size first).
 *
 * @param cloud cloud name for messages, for example `AWS`
 * @param shapes the catalogue
 * @param alternatives what to suggest for accelerators the cloud does not offer
 * @throws ValidationError naming the GPU counts that exist, or the nearest alternatives
 */
export function lookupShape<T extends GpuShape>(
  cloud: string,
  shapes: readonly T[],
  accelerator: Accelerator,
  gpus: number,
  alternatives: readonly ShapeAlternative[] = [],
  gpusProp = 'gpusPerNode',
): T {
  Validate.object(undefined, 'accelerator', accelerator);
  if (!(accelerator instanceof Accelerator)) {
    throw new ValidationError(
      `'accelerator' must be an Accelerator (for example Accelerator.H100), got ${describeValue(accelerator)}.`,
      undefined,
      VALIDATION_CODES.TYPE,
    );
  }
  Validate.integer(undefined, gpusProp, gpus, { min: 1, max: 64 });
  const sameGpu = shapes.filter((s) => s.accelerator.equals(accelerator));
  if (sameGpu.length === 0) {
    const alt = alternatives.find((a) => a.missing.equals(accelerator));
    const offered = [...new Set(shapes.map((s) => s.accelerator.id))].join(', ');
    throw new ValidationError(
      `'accelerator' ${accelerator.id} is not offered on ${cloud}` +
        (alt ? `. Nearest alternatives: ${alt.suggestions.join('; ')}` : '') +
        `. ${cloud} GPUs in this library's catalogue: ${offered}.`,
    );
  }
  const match = sameGpu.find((s) => s.gpuCount === gpus);
  if (!match) {
    const counts = [...new Set(sameGpu.map((s) => s.gpuCount))].sort((a, b) => a - b);
    const nearest = counts.reduce(
      (best, c) =>
        Math.abs(c - gpus) < Math.abs(best - gpus) ||
        (Math.abs(c - gpus) === Math.abs(best - gpus) && c > best)
          ? c
          : best,
      counts[0],
    );
    throw new ValidationError(
      `'${gpusProp}' (${gpus}) has no ${cloud} shape with ${accelerator.id}: ` +
        `available GPU counts are ${counts.join(', ')} (${sameGpu
          .filter((s) => counts.includes(s.gpuCount))
          .map((s) => `${s.name}: ${s.gpuCount}`)
          .join(', ')}). ` +
        `Use ${gpusProp === 'gpusPerNode' ? `gpusPerNode: ${nearest}` : `a value of ${nearest} GPUs (set gpusPerNode)`}.`,
    );
  }
  return match;
}

/**
 * Finds a shape by name.
 * @throws ValidationError listing the catalogued names
 */
export function shapeByName<T extends GpuShape>(
  cloud: string,
  shapes: readonly T[],
  name: string,
  prop: string,
): T {
  Validate.string(undefined, prop, name);
  const found = shapes.find((s) => s.name === name);
  if (!found) {
    throw new ValidationError(
      `'${prop}' (${describeValue(name)}) is not a ${cloud} GPU shape this library knows. Known: ${shapes.map((s) => s.name).join(', ')}.`,
    );
  }
  return found;
}
