import { quickSkipReason } from './trigger/quick-filter.js';

// Most comments are not for the bot: answer those before loading the rest of the bundle.
const skip = quickSkipReason(process.env);
if (skip !== undefined) {
  console.log(skip);
} else {
  const { run } = await import('./main.js');
  await run();
}
