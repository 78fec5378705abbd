// Root field naming: our port of Rust Inflector 0.11.3 (`to_plural`, `to_camel_case`)
// as graph-node uses it. Expected values are worked out from Inflector's rules (rules
// tried last-to-first, case-sensitive, uncountables and special cases first), including
// its known oddities, which graph-node inherits.
import { describe, expect, it } from 'vitest';
import { rootFieldNames, toCamelCase, toPlural } from '../../src/graphql/naming.js';

describe('Inflector to_plural', () => {
  it.each([
    ['TokenDayData', 'TokenDayDatas'], // graph-node's own example: "dat(a|um)" is lowercase only
    ['Data', 'Datas'],
    ['data', 'data'],
    ['Stats', 'Stats'], // (\w*)s$ keeps the s
    ['Category', 'Categories'], // consonant + y
    ['Day', 'Days'], // vowel + y
    ['Box', 'Boxes'],
    ['Match', 'Matches'],
    ['Dish', 'Dishes'],
    ['Address', 'Addresses'],
    ['Bus', 'Buses'],
    ['Status', 'Statuses'],
    ['Analysis', 'Analyses'],
    ['Leaf', 'Leaves'],
    ['knife', 'knives'],
    ['Knife', 'Knifes'], // rules are case-sensitive
    ['Wife', 'Wifes'],
    ['hero', 'heroes'],
    ['Potato', 'Potatoes'],
    ['index', 'indices'],
    ['Index', 'Indexes'],
    ['Token2x', 'Token2xes'],
    ['Alias', 'Alias'], // (\w*)s$ again
    ['sheep', 'sheep'], // uncountable
    ['Sheep', 'Sheeps'], // uncountables are compared case-sensitively
    ['series', 'series'],
    ['quiz', 'quizzes'], // special case
    ['ox', 'oxen'],
    ['person', 'personople'], // Inflector's rule keeps the whole word in its capture group
    ['mouse', 'mouseice'], // same oddity
    ['Person', 'Persons'],
    ['Child', 'Childs'],
  ])('%s → %s', (word, plural) => expect(toPlural(word)).toBe(plural));
});

describe('Inflector to_camel_case', () => {
  it.each([
    ['TokenDayData', 'tokenDayData'],
    ['ABCToken', 'abctoken'], // an acronym folds: last_char is only updated inside words
    ['aBC', 'aBC'],
    ['Pool2Token', 'pool2Token'],
    ['Token2x', 'token2X'], // a digit starts a new word
    ['foo_bar', 'fooBar'],
    ['Foo-Bar', 'fooBar'],
    ['My__Type', 'myType'],
    ['GovernanceEvent', 'governanceEvent'],
  ])('%s → %s', (word, camel) => expect(toCamelCase(word)).toBe(camel));
});

describe('root query field names (graph-node camel_cased_names)', () => {
  it.each([
    ['TokenDayData', 'tokenDayData', 'tokenDayDatas'],
    ['Stats', 'stats', 'stats_collection'],
    ['Sheep', 'sheep', 'sheeps'],
    ['Series', 'series', 'series_collection'],
    ['ABCToken', 'abctoken', 'abctokens'],
    ['Token2x', 'token2X', 'token2Xes'],
    ['Area', 'area', 'areas'],
    ['MemberGroup', 'memberGroup', 'memberGroups'],
    ['GroupMembership', 'groupMembership', 'groupMemberships'],
    ['VotingWeight', 'votingWeight', 'votingWeights'],
    ['TokenHolder', 'tokenHolder', 'tokenHolders'],
    ['ParameterChange', 'parameterChange', 'parameterChanges'],
    ['GovernanceEvent', 'governanceEvent', 'governanceEvents'],
  ])('%s → %s / %s', (type, singular, plural) => expect(rootFieldNames(type)).toEqual({ singular, plural }));
});
