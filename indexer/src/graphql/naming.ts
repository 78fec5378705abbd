// Root query field names, exactly as graph-node derives them
// (graph/src/data/graphql/ext.rs `camel_cased_names`): singular = to_camel_case(T),
// plural = to_camel_case(to_plural(T)), plus `_collection` when both coincide.
//
// graph-node uses the Rust crate Inflector (0.11.3 in Cargo.toml; 0.11.4 locked, whose
// pluralize and camel-case code is identical). This is our own port of its behaviour,
// because JS libraries (`pluralize`, lodash camelCase) disagree on acronyms, digits,
// irregular and uncountable words, and a different name means a different API.
//
// Regex note: Rust's `\w` is Unicode-aware, JS's is ASCII. GraphQL type names are
// ASCII (`[_A-Za-z][_0-9A-Za-z]*`), so the two agree on every name we can meet.

/** Inflector's UNACCONTABLE_WORDS (sic): returned unchanged, compared case-sensitively. */
const UNCOUNTABLE = new Set(
  (
    'accommodation adulthood advertising advice aggression aid air aircraft alcohol anger applause arithmetic ' +
    'assistance athletics bacon baggage beef biology blood botany bread butter carbon cardboard cash chalk chaos ' +
    'chess crossroads countryside dancing deer dignity dirt dust economics education electricity engineering ' +
    'enjoyment envy equipment ethics evidence evolution fame fiction flour flu food fuel fun furniture gallows ' +
    'garbage garlic genetics gold golf gossip grammar gratitude grief guilt gymnastics happiness hardware harm ' +
    'hate hatred health heat help homework honesty honey hospitality housework humour hunger hydrogen ice ' +
    'importance inflation information innocence iron irony jam jewelry judo karate knowledge lack laughter lava ' +
    'leather leisure lightning linguine linguini linguistics literature litter livestock logic loneliness luck ' +
    'luggage macaroni machinery magic management mankind marble mathematics mayonnaise measles methane milk ' +
    'money mud music mumps nature news nitrogen nonsense nurture nutrition obedience obesity oxygen pasta ' +
    'patience physics poetry pollution poverty pride psychology publicity punctuation quartz racism relaxation ' +
    'reliability research respect revenge rice rubbish rum safety scenery seafood seaside series shame sheep ' +
    'shopping sleep smoke smoking snow soap software soil spaghetti species steam stuff stupidity sunshine ' +
    'symmetry tennis thirst thunder timber traffic transportation trust underwear unemployment unity validity ' +
    'veal vegetation vegetarianism vengeance violence vitality warmth wealth weather welfare wheat wildlife ' +
    'wisdom yoga zinc zoology'
  ).split(' '),
);

const SPECIAL: Record<string, string> = {
  ox: 'oxen',
  man: 'men',
  woman: 'women',
  die: 'dice',
  yes: 'yeses',
  foot: 'feet',
  eave: 'eaves',
  goose: 'geese',
  tooth: 'teeth',
  quiz: 'quizzes',
};

/** Inflector's rules in declaration order; they are tried from the LAST to the first. */
const RULES: [RegExp, string][] = [
  [/(\w*)s$/, 's'],
  [/(\w*([^aeiou]ese))$/, ''],
  [/(\w*(ax|test))is$/, 'es'],
  [/(\w*(alias|[^aou]us|tlas|gas|ris))$/, 'es'],
  [/(\w*(e[mn]u))s?$/, 's'],
  [/(\w*([^l]ias|[aeiou]las|[emjzr]as|[iu]am))$/, ''],
  [
    /(\w*(alumn|syllab|octop|vir|radi|nucle|fung|cact|stimul|termin|bacill|foc|uter|loc|strat))(?:us|i)$/,
    'i',
  ],
  [/(\w*(alumn|alg|vertebr))(?:a|ae)$/, 'ae'],
  [/(\w*(seraph|cherub))(?:im)?$/, 'im'],
  [/(\w*(her|at|gr))o$/, 'oes'],
  [
    /(\w*(agend|addend|millenni|dat|extrem|bacteri|desiderat|strat|candelabr|errat|ov|symposi|curricul|automat|quor))(?:a|um)$/,
    'a',
  ],
  [
    /(\w*(apheli|hyperbat|periheli|asyndet|noumen|phenomen|criteri|organ|prolegomen|hedr|automat))(?:a|on)$/,
    'a',
  ],
  [/(\w*)sis$/, 'ses'],
  [/(\w*(kni|wi|li))fe$/, 'ves'],
  [/(\w*(ar|l|ea|eo|oa|hoo))f$/, 'ves'],
  [/(\w*([^aeiouy]|qu))y$/, 'ies'],
  [/(\w*([^ch][ieo][ln]))ey$/, 'ies'],
  [/(\w*(x|ch|ss|sh|zz)es)$/, ''],
  [/(\w*(x|ch|ss|sh|zz))$/, 'es'],
  [/(\w*(matr|cod|mur|sil|vert|ind|append))(?:ix|ex)$/, 'ices'],
  [/(\w*(m|l)(?:ice|ouse))$/, 'ice'],
  [/(\w*(pe)(?:rson|ople))$/, 'ople'],
  [/(\w*(child))(?:ren)?$/, 'ren'],
  [/(\w*eaux)$/, ''],
];

/** Inflector `to_plural`. */
export function toPlural(word: string): string {
  if (UNCOUNTABLE.has(word)) return word;
  const special = SPECIAL[word];
  if (special !== undefined) return special;
  for (let i = RULES.length - 1; i >= 0; i--) {
    const [rule, replace] = RULES[i]!;
    const m = rule.exec(word);
    if (m && m[1] !== undefined) return m[1] + replace;
  }
  return word + 's';
}

const isAlphanumeric = (c: string): boolean => /[\p{Alphabetic}\p{N}]/u.test(c);
const isNumeric = (c: string): boolean => /\p{N}/u.test(c);
const isLower = (c: string): boolean => /\p{Lowercase}/u.test(c);
const isUpper = (c: string): boolean => /\p{Uppercase}/u.test(c);
// Rust's to_ascii_* only touch ASCII letters.
const asciiUpper = (c: string): string => (c >= 'a' && c <= 'z' ? c.toUpperCase() : c);
const asciiLower = (c: string): string => (c >= 'A' && c <= 'Z' ? c.toLowerCase() : c);

/**
 * Inflector `to_camel_case` (cases/case `to_case_camel_like` with camel options).
 * Quirk kept on purpose: `last_char` is only updated for characters that do not start
 * a word, so acronyms fold to lowercase ("ABCToken" → "abctoken") while "aBC" stays "aBC".
 */
export function toCamelCase(input: string): string {
  const chars = [...input];
  while (chars.length > 0 && !isAlphanumeric(chars[chars.length - 1]!)) chars.pop(); // trim_end_matches
  let newWord = false;
  let firstWord = false;
  let lastChar = ' ';
  let foundRealChar = false;
  let out = '';
  for (const c of chars) {
    if (!isAlphanumeric(c) && foundRealChar) {
      newWord = true;
    } else if (!foundRealChar && !isAlphanumeric(c)) {
      continue;
    } else if (isNumeric(c)) {
      foundRealChar = true;
      newWord = true;
      out += c;
    } else if (newWord || (isLower(lastChar) && isUpper(c) && lastChar !== ' ')) {
      foundRealChar = true;
      newWord = false;
      // has_seperator=false, inverted=false: always upper-case the word's first letter
      out += asciiUpper(c);
      firstWord = false;
    } else {
      foundRealChar = true;
      lastChar = c;
      out += asciiLower(c);
    }
  }
  void firstWord;
  return out;
}

/** graph-node `camel_cased_names`: the singular and plural root query field names of a type. */
export function rootFieldNames(typeName: string): { singular: string; plural: string } {
  const singular = toCamelCase(typeName);
  let plural = toCamelCase(toPlural(typeName));
  if (plural === singular) plural += '_collection';
  return { singular, plural };
}
