/** One malformed input: the files it plants in a fresh project, the command that reads them, and the answer expected. */
export interface BadInput {
  category: string;
  name: string;
  /** Paths relative to the project folder (the workspace is `gantry/`). */
  files: Record<string, string | Buffer>;
  args: string[];
  /** The documented exit code. */
  code: number;
  /** What the one error message must say. */
  message: RegExp;
  env?: Record<string, string>;
}

/** A YAML/JSON mutation table: name → document text. */
export type Variants = Record<string, string>;
