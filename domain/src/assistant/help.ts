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
/** A thank-you or a word of approval ("thanks a lot", "perfect"). */
const THANKS_WORD =
  "(?:(?:thanks|thank you) for (?:the|your|that|this|all|everything|helping)(?: [a-z']+){0,4}|thanks|thank you|thank u|thankyou|thx|ty|cheers|many thanks|much appreciated|(?:i )?appreciate (?:it|that)|great|cool|nice|awesome|perfect|brilliant|lovely|wonderful|excellent|amazing|ok|okay|k|got it|good job|well done|lol|haha)(?: (?:so much|a lot|again|bot|buddy|very much|a ton|a bunch|loads))?";
/** Praise for the answer ("that's super helpful", "you're the best"). */
const PRAISE =
  "(?:that'?s|that is|this is|it'?s|it is|you'?re|you are|that was|this was)(?: (?:super|very|really|so|most|incredibly|extremely))? (?:helpful|great|perfect|awesome|amazing|brilliant|wonderful|useful|fantastic|exactly what i (?:needed|wanted)|a (?:big |great |huge )?help|a lifesaver|the best)";
const SIGN_OFF =
  "(?:that'?s all|that is all|that'?s it|all good|bye|see you|see ya|have a (?:good|nice|great) (?:day|one|night|evening))";
/** Thanks, praise and sign-offs, up to four in a row ("thank you, that's super helpful, bye"). */
const THANKS = new RegExp(
  `^(?:${THANKS_WORD}|${PRAISE})(?:[,.!;-]* (?:${THANKS_WORD}|${PRAISE}|${SIGN_OFF})){0,3}[\\s!.,?]*$`,
  'i',
);
const HELP =
  /^(?:help|help me|\?+|what can you do|what do you do|how does (?:this|it) work|how do (?:i|you) use (?:this|you|it)|how (?:can|do) i use (?:this|you|it)|commands|options|menu|what are you|who are you|what is this|how are you|instructions|usage|what can i (?:say|ask|do)|tell me a joke|are you (?:there|a bot|human|real)|i love you|love you|you(?:'re| are) (?:great|awesome|the best|smart|dumb|stupid|useless)|you rock|good bot|bad bot|what time is it)\b/i;

/** Small talk and help requests → a friendly answer, or null for anything else. */
export function smallTalk(text: string): string | null {
  if (GREETING.test(text)) return helpText('Hi! I keep your to-do list.');
  if (THANKS.test(text)) return 'Happy to help! Anything else for your list?';
  if (HELP.test(text)) return helpText('I can add, find, change and complete your tasks.');
  return null;
}
