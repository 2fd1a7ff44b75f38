import { Transform, type TransformCallback } from 'node:stream'
import type { ImportLimits } from './guards'

/** Shared expansion budget of one top-level input (all its archive entries together). */
export class Budget {
  used = 0
  constructor(readonly limits: ImportLimits) {}
}

/**
 * Counts bytes coming out of a decompressor and stops the stream when the expansion is absurd:
 * more than the input's whole budget, or a ratio past the limit relative to the compressed bytes read.
 */
export class ExpansionGuard extends Transform {
  out = 0
  constructor(
    private readonly budget: Budget,
    private readonly compressedSoFar: () => number
  ) {
    super()
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.out += chunk.length
    this.budget.used += chunk.length
    const { limits } = this.budget
    if (this.budget.used > limits.maxExpandedBytes) {
      return done(new Error(`expands past ${limits.maxExpandedBytes} bytes: refused as a compression bomb`))
    }
    if (this.out > limits.ratioFloorBytes && this.out / Math.max(1, this.compressedSoFar()) > limits.maxRatio) {
      return done(new Error(`expands more than ${limits.maxRatio}:1: refused as a compression bomb`))
    }
    done(null, chunk)
  }
}

/** Counts bytes passing through, for progress; never a 'data' listener, which would race the reader. */
export class ByteCounter extends Transform {
  constructor(private readonly onBytes: (n: number) => void) {
    super()
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.onBytes(chunk.length)
    done(null, chunk)
  }
}
