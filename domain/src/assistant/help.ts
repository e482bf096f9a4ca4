/** Help, small talk, and the "I did not understand" answer — always with examples to copy. */

export const EXAMPLES = [
  '“remind me to call mom every Sunday at 6pm”',
  '“dentist tomorrow at 3pm, remind me 30 minutes before”',
  '“pay rent on the 1st of every month #home !high”',
  '“what’s due this week?” · “anything overdue?” · “show my #work tasks”',
  '“mark the dentist one done” · “move gym to Thursday” · “rename milk to buy oat milk”',
  '“delete the report task” · “undo”',
];

export function helpText(opening: string): string {
  return `${opening}\nYou can tell me things like:\n${EXAMPLES.map((e) => `• ${e}`).join('\n')}`;
}

const GREETING =
  /^(?:hi|hello|hey|heya|hiya|howdy|yo|sup|hola|good (?:morning|afternoon|evening|day|night)|greetings|what'?s up|whats up|wass?up|sup|gm|gn)(?: (?:there|bot|assistant|buddy|friend))?[\s!.,?]*$/i;
const THANKS =
  /^(?:thanks|thank you|thx|ty|cheers|great|cool|nice|awesome|perfect|ok|okay|k|got it|good job|lol|haha)(?: (?:so much|a lot|again|bot|buddy))?(?:,? (?:that'?s all|that is all|that'?s it|all good|bye|see you))?[\s!.,?]*$/i;
const HELP =
  /^(?:help|help me|\?+|what can you do|what do you do|how does (?:this|it) work|how do (?:i|you) use (?:this|you|it)|how (?:can|do) i use (?:this|you|it)|commands|options|menu|what are you|who are you|what is this|how are you|instructions|usage|what can i (?:say|ask|do)|tell me a joke|are you (?:there|a bot|human|real)|i love you|love you|you(?:'re| are) (?:great|awesome|the best|smart|dumb|stupid|useless)|you rock|good bot|bad bot|what time is it)\b/i;

/** Small talk and help requests → a friendly answer, or null for anything else. */
export function smallTalk(text: string): string | null {
  if (GREETING.test(text)) return helpText('Hi! I keep your to-do list.');
  if (THANKS.test(text)) return helpText('Happy to help!');
  if (HELP.test(text)) return helpText('I can add, find, change and complete your tasks.');
  return null;
}
