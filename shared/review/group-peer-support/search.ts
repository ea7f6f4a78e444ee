/**
 * The search of Lyons, Cooper & Lloyd-Evans 2021 (group peer support for people with mental health conditions),
 * kept as data. Their structure (Methods): (peer support terms, such as "peer-led" or peer* adj3 support*) AND
 * (all fields group search) AND (RCT filter: the Cochrane Highly Sensitive Search Strategy in MEDLINE). They searched
 * from inception to 12 July 2019; living updates start there.
 */
import type { SearchConfig } from '#shared/sources/search-config.ts';

export const groupPeerSupportSearch: SearchConfig = {
  reviewId: 'group-peer-support',
  lastSearchDate: '2019-07-12',
  overlapDays: 3,
  pubmed: {
    blocks: [
      {
        name: 'peer support',
        why: 'The intervention: support given by people with lived experience to each other (peer or mutual support).',
        terms: [
          {
            term: '"peer support"[tiab:~3]',
            why: 'The review\'s peer* adj3 support*: PubMed proximity search (since 2022) finds "peer" within 3 words of "support" ("peer-delivered support", "support from peers" needs the plural below).',
          },
          {
            term: '"peers support"[tiab:~3]',
            why: 'PubMed proximity search cannot truncate, so the plural of peer* is listed itself ("support from peers").',
          },
          {
            term: '"peer supporters"[tiab:~3]',
            why: 'support* truncation, written out: the people who give the support.',
          },
          {
            term: '"peer supported"[tiab:~3]',
            why: 'support* truncation, written out: "peer-supported groups".',
          },
          { term: 'peer-led[tiab]', why: 'The review\'s own example term ("peer-led").' },
          {
            term: 'peer-facilitated[tiab]',
            why: 'Groups run by peers are often described as facilitated rather than led.',
          },
          {
            term: 'peer-delivered[tiab]',
            why: "Peer-delivered services, one of the review's categories of peer support.",
          },
          {
            term: 'peer-run[tiab]',
            why: "Peer-run services and groups, another of the review's categories.",
          },
          {
            term: '"consumer run"[tiab] OR "consumer operated"[tiab]',
            why: 'Peer-run mental health services are often called consumer-run or consumer-operated.',
          },
          {
            term: '"mutual support"[tiab]',
            why: "Mutual support groups are one of the review's two intervention categories.",
          },
          {
            term: '"mutual help"[tiab]',
            why: 'Synonym of mutual support used in the addiction and recovery literature.',
          },
          { term: '"mutual aid"[tiab]', why: 'Older synonym of mutual support (mutual aid groups).' },
          {
            term: '"self-help group*"[tiab] OR "self help group*"[tiab]',
            why: 'Self-help groups are mutual support groups run by their members.',
          },
          {
            term: '"Self-Help Groups"[mh]',
            why: 'The MeSH heading for self-help and mutual support groups.',
          },
          {
            term: '"Peer Group"[mh]',
            why: 'The MeSH heading indexers use for interventions built on peers.',
          },
        ],
      },
      {
        name: 'group',
        why: 'The review is about group (not one-to-one) peer support; like the review, this block searches all fields.',
        terms: [
          {
            term: 'group*[all]',
            why: 'The review\'s "all fields group search": group, groups, group-based, grouped, in any field.',
          },
        ],
      },
    ],
    filter: {
      name: 'Cochrane HSSS (2008, sensitivity-maximizing, PubMed format)',
      why: 'The RCT filter the review used in MEDLINE: Cochrane Handbook Box 4.4.a, unchanged so results stay comparable.',
      query:
        '(randomized controlled trial[pt] OR controlled clinical trial[pt] OR randomized[tiab] OR placebo[tiab] OR drug therapy[sh] OR randomly[tiab] OR trial[tiab] OR groups[tiab]) NOT (animals[mh] NOT humans[mh])',
    },
  },
  ctgov: {
    intervention: {
      name: 'peer support',
      why: 'The same intervention concepts as the PubMed peer block, in ClinicalTrials.gov (Essie) syntax.',
      terms: [
        { term: '"peer support"', why: 'The central concept; Essie also matches "peer supporters".' },
        { term: '"peer-led"', why: "The review's own example term." },
        { term: '"peer facilitated"', why: 'Groups run by peers described as facilitated.' },
        { term: '"peer delivered"', why: 'Peer-delivered services.' },
        { term: '"peer run"', why: 'Peer-run services and groups.' },
        { term: '"consumer operated"', why: 'Peer-run mental health services by another name.' },
        { term: '"mutual support"', why: "Mutual support groups, one of the review's two categories." },
        { term: '"mutual help"', why: 'Synonym of mutual support.' },
        { term: '"mutual aid"', why: 'Older synonym of mutual support.' },
        {
          term: '"self-help group"',
          why: 'Self-help groups are mutual support groups run by their members.',
        },
      ],
    },
    term: {
      name: 'group',
      why: 'Group delivery, searched in all fields as in the review.',
      terms: [
        { term: 'group', why: 'Group delivery; Essie stems, so this also matches groups.' },
        { term: 'groups', why: 'Listed as well in case stemming is off for a field.' },
      ],
    },
    allocation: 'RANDOMIZED',
  },
};
