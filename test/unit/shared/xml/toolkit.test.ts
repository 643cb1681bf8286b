import { describe, expect, it } from 'vitest';
import { hl7Child, hl7Path } from '../../../../src/shared/cda/xml';
import { child, childElements, parseXmlStrict, path, text, XmlRefusal } from '../../../../src/shared/xml';

/** The one XML toolkit: one parser for CDA and DMP, one `child` that matches a namespace exactly or by rule. */
const refusal = (xml: string, max = 1024, warningsFatal = false) => {
  try {
    parseXmlStrict(xml, max, { warningsFatal });
  } catch (e) {
    return e instanceof XmlRefusal ? e.kind : 'other';
  }
  return 'accepted';
};

describe('XML toolkit', () => {
  it('says why it refused, so each caller can answer in its own words', () => {
    expect(refusal('   ')).toBe('empty');
    expect(refusal(`<a>${'x'.repeat(2000)}</a>`)).toBe('too_large');
    expect(refusal('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>')).toBe('doctype');
    expect(refusal('<a><b></a>')).toBe('malformed');
    expect(refusal('<a/>')).toBe('accepted');
  });

  it('matches a namespace exactly, or by a rule such as HL7-or-none', () => {
    const doc = parseXmlStrict('<r xmlns:s="urn:s"><s:x>1</s:x><x>2</x><y xmlns="urn:hl7-org:v3"><z>3</z></y></r>', 1024);
    const root = doc.documentElement!;
    expect(text(child(root, 'urn:s', 'x'))).toBe('1');
    expect(childElements(root, undefined, 'x').map((e) => text(e))).toEqual(['1', '2']);
    expect(text(path(root, ['urn:hl7-org:v3', 'y'], ['urn:hl7-org:v3', 'z']))).toBe('3');
    // The CDA dialect reads HL7 elements and those a producer left without a namespace, never another one.
    expect(text(hl7Child(root, 'x'))).toBe('2');
    expect(text(hl7Path(root, 'y', 'z'))).toBe('3');
  });
});
