import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';

let encoder: Tiktoken | undefined;

/**
 * Token count of a text. LLaMA 3's tokenizer extends cl100k's vocabulary, so cl100k counts
 * are a close upper bound for it; good enough for budgets, which are never exact anyway.
 */
export function countTokens(text: string): number {
  encoder ??= new Tiktoken(cl100k);
  return encoder.encode(text, 'all').length;
}
