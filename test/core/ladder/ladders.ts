// Ladders of corpus captures for the model, explanation and verdict tests, each built once.

import { ladderFromFile } from '../../../src/core/ladder/build';
import type { LadderModel, LadderOptions } from '../../../src/core/ladder/model';
import { corpusPath } from '../io/helpers';

const cache = new Map<string, Promise<LadderModel>>();

/** The ladder of `file`'s TCP stream (a corpus path), built once per option set. */
export function ladder(file: string, stream = 0, options: Partial<LadderOptions> = {}): Promise<LadderModel> {
  const key = `${file}#${stream}#${JSON.stringify(options)}`;
  let m = cache.get(key);
  if (m === undefined) {
    m = ladderFromFile(corpusPath(file), stream, options);
    cache.set(key, m);
  }
  return m;
}
