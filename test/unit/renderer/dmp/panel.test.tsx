import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { hasFixtures, readFixture } from '../../../support/fixtures';
import { cdaWithSection } from '../../shared/cda/build';
import { fakePdfLoader } from '../cda/fake-pdf';
import { createFakeDmp, entry, QUALIFIED } from './fake-dmp';

const fake = createFakeDmp();
window.api = fake.api;

const { DmpPanel, DmpEmergencyBanner, useDmpAlerts } = await import('../../../../src/renderer/src/features/dmp');
const { createQueryClient } = await import('../../../../src/renderer/src/app/query-client');
const { PdfLoaderContext } = await import('../../../../src/renderer/src/features/cda');

const patient = (id = 'pat-1', status: 'QUAL' | 'VALI' = 'QUAL') => ({
  ref: { id },
  identity: { status, birthFamilyName: 'DUPONT', givenNames: 'Jean', birthDate: '1980-05-12', sex: 'M' as const },
  displayName: 'Jean DUPONT',
});

let client: QueryClient;
function show(ui: React.ReactNode) {
  const pdf = fakePdfLoader();
  const view = render(
    <QueryClientProvider client={client}>
      <PdfLoaderContext.Provider value={pdf.loader}>{ui}</PdfLoaderContext.Provider>
    </QueryClientProvider>,
  );
  return { ...view, pdf };
}

beforeEach(() => {
  client = createQueryClient();
  fake.calls.length = 0;
  fake.state.status = QUALIFIED();
  fake.state.entries = [];
  fake.state.contents.clear();
  fake.state.failures.clear();
});

describe('DMP panel: consent first', () => {
  it('opening calls TD0.2 only and shows the four choices when no authorisation is valid', async () => {
    show(<DmpPanel patient={patient()} role="medecin" />);
    await screen.findByTestId('dmp-consent');
    expect(fake.methods()).toEqual(['dmp.status']);
    for (const name of ['Le patient est informé et consent', 'Le patient refuse', 'Bris de glace', 'Centre 15']) expect(screen.getByRole('button', { name })).toBeTruthy();
    expect(screen.getByText('DMP de test')).toBeTruthy();
    // Nothing happens on its own: once no query or mutation is in flight (effects that call the
    // bridge would have logged their call synchronously), still only TD0.2.
    await waitFor(() => expect(client.isFetching() + client.isMutating()).toBe(0));
    expect(fake.methods()).toEqual(['dmp.status']);
  });

  it('"informé et consent" calls TD0.3 with the explicit confirmation, then lists the documents', async () => {
    fake.state.entries = [entry({ title: 'Sortie de cardiologie' })];
    show(<DmpPanel patient={patient()} role="medecin" />);
    fireEvent.click(await screen.findByRole('button', { name: 'Le patient est informé et consent' }));
    await screen.findByText('Sortie de cardiologie');
    expect(fake.methods()).toEqual(['dmp.status', 'dmp.consent', 'dmp.documents']);
    expect(fake.calls[1]!.input.patientInformedAndConsents).toBe(true);
    expect(fake.calls[2]!.input.accessMode).toBe('normal');
  });

  it('an EXPIRE authorisation asks for renewed consent', async () => {
    fake.state.status = QUALIFIED({ authorization: 'EXPIRE' });
    show(<DmpPanel patient={patient()} role="medecin" />);
    expect(await screen.findByText(/Votre autorisation d’accès à ce DMP a expiré/)).toBeTruthy();
  });

  it('"le patient refuse" is recorded and nothing is read', async () => {
    show(<DmpPanel patient={patient()} role="medecin" />);
    fireEvent.click(await screen.findByRole('button', { name: 'Le patient refuse' }));
    await screen.findByTestId('dmp-refused');
    expect(fake.methods()).toEqual(['dmp.status', 'dmp.refuse']);
  });

  it('break-glass needs a justification, then keeps a red banner on every screen', async () => {
    fake.state.entries = [entry()];
    const { rerender } = show(
      <>
        <DmpEmergencyBanner />
        <DmpPanel patient={patient()} role="urgentiste" />
      </>,
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Bris de glace' }));
    const submit = screen.getByRole('button', { name: 'Accéder en bris de glace' }) as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Justification (obligatoire)'), { target: { value: 'Patient inconscient, polytraumatisé' } });
    expect(submit.disabled).toBe(false);
    fireEvent.click(submit);
    await screen.findByTestId('dmp-emergency-banner');
    await waitFor(() => expect(fake.methods()).toEqual(['dmp.status', 'dmp.emergencyAccess', 'dmp.documents']));
    expect(fake.calls[1]!.input).toMatchObject({ mode: 'bris_de_glace', justification: 'Patient inconscient, polytraumatisé' });
    expect(fake.calls[2]!.input.accessMode).toBe('bris_de_glace');
    // Another screen: the panel is gone, the banner stays.
    rerender(
      <QueryClientProvider client={client}>
        <DmpEmergencyBanner />
        <p>Prescriptions</p>
      </QueryClientProvider>,
    );
    expect(screen.getByTestId('dmp-emergency-banner').textContent).toContain('bris de glace');
    // Lock / sign-out: the session provider clears the cache, the banner goes with it.
    act(() => client.clear());
    expect(screen.queryByTestId('dmp-emergency-banner')).toBeNull();
  });

  it('oppositions and the regulation rule are shown on the choices', async () => {
    fake.state.status = QUALIFIED({ oppositions: { brisDeGlace: true, centre15: true } });
    show(<DmpPanel patient={patient()} role="medecin" />);
    expect((await screen.findByTestId('dmp-opposition-bdg')).textContent).toContain('opposé');
    expect(screen.getByTestId('dmp-opposition-c15').textContent).toContain('opposé');
    expect(screen.queryByRole('button', { name: 'Bris de glace' })).toBeNull();
  });

  it('centre 15 is offered on a regulation post and calls the centre-15 mode', async () => {
    fake.state.status = QUALIFIED({ regulation: true });
    show(<DmpPanel patient={patient()} role="urgentiste" />);
    fireEvent.click(await screen.findByRole('button', { name: 'Centre 15' }));
    await waitFor(() => expect(fake.methods()).toContain('dmp.documents'));
    expect(fake.calls.find((c) => c.method === 'dmp.emergencyAccess')!.input.mode).toBe('centre_15');
  });

  it('nurses and interns are not offered break-glass', async () => {
    show(<DmpPanel patient={patient()} role="infirmier" />);
    await screen.findByTestId('dmp-consent');
    expect(screen.queryByRole('button', { name: 'Bris de glace' })).toBeNull();
    expect(screen.getByText(/réservé aux médecins et urgentistes/)).toBeTruthy();
  });

  it('VALIDE goes straight to the list', async () => {
    fake.state.status = QUALIFIED({ authorization: 'VALIDE', access: { mode: 'normal', source: 'td02_valide' } });
    fake.state.entries = [entry({ title: 'Déjà autorisé' })];
    show(<DmpPanel patient={patient()} role="medecin" />);
    await screen.findByText('Déjà autorisé');
    expect(fake.methods()).toEqual(['dmp.status', 'dmp.documents']);
  });

  it.each([
    ['INTERDIT', QUALIFIED({ authorization: 'INTERDIT' }), 'dmp-interdit', /Seul le patient peut lever ce blocage/],
    ['no DMP', QUALIFIED({ exists: false }), 'dmp-no-dmp', /Mon espace santé/],
  ] as const)('%s is shown plainly, with no way to the documents', async (_, status, testId, text) => {
    fake.state.status = status;
    show(<DmpPanel patient={patient()} role="medecin" />);
    expect((await screen.findByTestId(testId)).textContent).toMatch(text);
    expect(screen.queryByTestId('dmp-consent')).toBeNull();
    expect(fake.methods()).toEqual(['dmp.status']);
  });

  it('an identity that is not qualified says what to do', async () => {
    fake.state.status = { insQualified: false, identityStatus: 'VALI', environment: { test: true, label: 'DMP de test' } };
    show(<DmpPanel patient={patient('pat-1', 'VALI')} role="medecin" />);
    const notice = await screen.findByTestId('dmp-ins-not-qualified');
    expect(notice.textContent).toContain('Identité validée');
    expect(notice.textContent).toContain('téléservice INSi');
  });

  it('a refused role (secretary) shows main’s message and no document', async () => {
    fake.state.failures.set('dmp.status', { code: 'FORBIDDEN', message: 'Votre rôle ne permet pas cette action.' });
    show(<DmpPanel patient={patient()} role="secretaire_medicale" />);
    expect((await screen.findByTestId('dmp-error')).textContent).toContain('Votre rôle ne permet pas cette action.');
    expect(screen.queryByTestId('dmp-consent')).toBeNull();
  });

  it('a consent refused by main shows its French message', async () => {
    fake.state.failures.set('dmp.consent', { code: 'DMP_AUTHORIZATION_FORBIDDEN', message: 'Le patient a interdit votre accès à son DMP.' });
    show(<DmpPanel patient={patient()} role="medecin" />);
    fireEvent.click(await screen.findByRole('button', { name: 'Le patient est informé et consent' }));
    expect((await screen.findByRole('alert')).textContent).toContain('interdit votre accès');
  });
});

describe('DMP panel: documents, viewer, memory', () => {
  const valide = () => QUALIFIED({ authorization: 'VALIDE', access: { mode: 'normal', source: 'td02_valide' } });

  it('warns before opening a document the patient cannot see, then shows it with the safe viewer', async () => {
    fake.state.status = valide();
    const e = entry({ title: 'Annonce diagnostique', visibility: ['INVISIBLE_PATIENT'] });
    fake.state.entries = [e];
    const hostile = cdaWithSection(
      '<title>Résultat</title><text><paragraph>Texte<script>alert(1)</script></paragraph><paragraph><linkHtml href="javascript:alert(1)">ici</linkHtml></paragraph><renderMultiMedia referencedObject="img"/></text><entry><observationMedia ID="img"><value mediaType="image/png" reference="https://evil.example/x.png"/></observationMedia></entry>',
    );
    fake.state.contents.set(e.uniqueId, { mimeType: 'text/xml', encoding: 'text', content: hostile });
    const { container } = show(<DmpPanel patient={patient()} role="medecin" />);
    fireEvent.click(await screen.findByRole('button', { name: /Ouvrir .*Annonce diagnostique/ }));
    const warning = await screen.findByTestId('dmp-invisible-warning');
    expect(warning.textContent).toContain('pas visible par le patient');
    expect(fake.methods()).not.toContain('dmp.retrieve');
    fireEvent.click(within(warning).getByRole('button', { name: 'Ouvrir le document' }));
    await screen.findByText(/Élément non pris en charge : script/);
    expect(container.querySelectorAll('script, iframe, a')).toHaveLength(0);
    for (const img of container.querySelectorAll('img')) expect(img.getAttribute('src') ?? '').toMatch(/^data:/);
    expect(fake.calls.at(-1)).toMatchObject({ method: 'dmp.retrieve', input: { accessMode: 'normal', document: { uniqueId: e.uniqueId } } });
  });

  it('the warning is a modal alert dialog: Escape cancels, nothing is fetched, the focus goes back to the document', async () => {
    fake.state.status = valide();
    fake.state.entries = [entry({ title: 'Annonce diagnostique', visibility: ['INVISIBLE_PATIENT'] })];
    show(<DmpPanel patient={patient()} role="medecin" />);
    const opener = await screen.findByRole('button', { name: /Ouvrir .*Annonce diagnostique/ });
    opener.focus();
    fireEvent.click(opener);
    const warning = await screen.findByRole('alertdialog', { name: 'Document non visible par le patient' });
    expect(document.activeElement).toBe(within(warning).getByRole('button', { name: 'Ouvrir le document' }));
    fireEvent.keyDown(warning, { key: 'Escape' });
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
    expect(fake.methods()).not.toContain('dmp.retrieve');
  });

  it('DMP break-glass asks its justification in a modal dialog that Escape closes', async () => {
    show(<DmpPanel patient={patient()} role="urgentiste" />);
    const opener = await screen.findByRole('button', { name: 'Bris de glace' });
    opener.focus();
    fireEvent.click(opener);
    const dialog = screen.getByRole('dialog', { name: 'Accès au DMP en bris de glace' });
    expect(document.activeElement).toBe(screen.getByLabelText('Justification (obligatoire)'));
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog', { name: 'Accès au DMP en bris de glace' })).toBeNull();
    expect(document.activeElement).toBe(opener);
    expect(fake.methods()).toEqual(['dmp.status']);
  });

  it.skipIf(!hasFixtures)('opens a level-1 (PDF) and a level-3 document; "Intégrer au dossier" hands the document to the record', async () => {
    fake.state.status = valide();
    const l1 = entry({ title: 'Imagerie niveau 1', typeCode: { code: '18748-4' } });
    const l3 = entry({ title: 'Lettre niveau 3' });
    fake.state.entries = [l1, l3];
    fake.state.contents.set(l1.uniqueId, { mimeType: 'text/xml', encoding: 'text', content: readFixture('cda', 'IMG_CR_IMG_2024.01_CDA-R2-Niveau-1.xml') });
    fake.state.contents.set(l3.uniqueId, { mimeType: 'text/xml', encoding: 'text', content: readFixture('cda', 'LDL-SES_2022.01.xml') });
    const onIntegrate = vi.fn();
    const { pdf } = show(<DmpPanel patient={patient()} role="medecin" onIntegrate={onIntegrate} />);
    fireEvent.click(await screen.findByRole('button', { name: /Ouvrir .*Imagerie niveau 1/ }));
    await waitFor(() => expect(pdf.loader).toHaveBeenCalledTimes(1));
    fireEvent.click(screen.getByRole('button', { name: '← Retour à la liste' }));
    fireEvent.click(await screen.findByRole('button', { name: /Ouvrir .*Lettre niveau 3/ }));
    await screen.findByRole('heading', { name: 'Traitements à la sortie' });
    fireEvent.click(screen.getByRole('button', { name: 'Intégrer au dossier' }));
    await screen.findByText('Document intégré au dossier patient.');
    expect(onIntegrate).toHaveBeenCalledTimes(1);
    expect(onIntegrate.mock.calls[0]![0]).toMatchObject({ entry: { uniqueId: l3.uniqueId }, seq: 12, document: { encoding: 'text' } });
  });

  it('nothing of the DMP is left once the query cache is cleared (lock, sign-out)', async () => {
    fake.state.status = valide();
    const e = entry({ title: 'Secret médical' });
    fake.state.entries = [e];
    fake.state.contents.set(e.uniqueId, { mimeType: 'text/xml', encoding: 'text', content: cdaWithSection('<title>T</title><text><paragraph>Contenu sensible</paragraph></text>') });
    show(<DmpPanel patient={patient()} role="medecin" />);
    fireEvent.click(await screen.findByRole('button', { name: /Ouvrir .*Secret médical/ }));
    await screen.findByText('Contenu sensible');
    expect(client.getQueryCache().findAll({ queryKey: ['dmp'] }).length).toBeGreaterThan(0);
    act(() => client.clear());
    expect(client.getQueryCache().findAll({ queryKey: ['dmp'] })).toHaveLength(0);
    expect(JSON.stringify(client.getQueryCache().getAll().map((q) => q.state.data))).not.toContain('Contenu sensible');
  });

  it('switching patient drops the previous patient’s DMP data', async () => {
    fake.state.status = valide();
    fake.state.entries = [entry({ title: 'Du premier patient' })];
    const { rerender } = show(<DmpPanel patient={patient('pat-A')} role="medecin" />);
    await screen.findByText('Du premier patient');
    fake.state.status = QUALIFIED();
    rerender(
      <QueryClientProvider client={client}>
        <DmpPanel patient={patient('pat-B')} role="medecin" />
      </QueryClientProvider>,
    );
    await screen.findByTestId('dmp-consent');
    expect(screen.queryByText('Du premier patient')).toBeNull();
    expect(client.getQueryCache().findAll({ queryKey: ['dmp', 'patient', 'pat-A'] }).map((q) => q.queryKey.join('/'))).toEqual([]);
  });
});

// An IHE PCC allergy concern, as the CI-SIS models carry it.
const ALLERGY_SECTION = `
  <code code="48765-2" codeSystem="2.16.840.1.113883.6.1" displayName="Allergies et hypersensibilités"/>
  <title>Allergies</title>
  <text><content ID="all1">Pénicilline : urticaire</content></text>
  <entry><act classCode="ACT" moodCode="EVN">
    <templateId root="1.3.6.1.4.1.19376.1.5.3.1.4.5.3"/>
    <statusCode code="active"/>
    <entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN">
      <templateId root="1.3.6.1.4.1.19376.1.5.3.1.4.6"/>
      <code code="416098002" displayName="allergie médicamenteuse" codeSystem="2.16.840.1.113883.6.96"/>
      <text><reference value="#all1"/></text>
      <statusCode code="completed"/>
      <value xsi:type="CD" code="419511003" displayName="Propension aux réactions indésirables à un médicament" codeSystem="2.16.840.1.113883.6.96"/>
      <participant typeCode="CSM"><participantRole classCode="MANU"><playingEntity classCode="MMAT">
        <code code="J01CE01" displayName="Benzylpénicilline" codeSystem="2.16.840.1.113883.6.73"/><name>Pénicilline G</name>
      </playingEntity></participantRole></participant>
    </observation></entryRelationship>
  </act></entry>`;

describe.skipIf(!hasFixtures)('useDmpAlerts', () => {
  function Banner({ p }: { p: ReturnType<typeof patient> }) {
    const a = useDmpAlerts(p, new Date('2019-12-10T12:00:00Z'));
    if (!a.available) return <p>alertes DMP indisponibles</p>;
    return (
      <ul>
        {a.allergies.map((x, i) => (
          <li key={`a${i}`}>allergie : {x.agent ?? x.description}</li>
        ))}
        {a.treatments.map((t, i) => (
          <li key={`t${i}`}>traitement : {t.name}</li>
        ))}
        {a.recentExams.map((e) => (
          <li key={e.entryUUID}>examen récent : {e.title}</li>
        ))}
      </ul>
    );
  }

  it('reads nothing before the DMP was opened, then lists allergies, treatments and recent exams with their source', async () => {
    const p = patient();
    show(<Banner p={p} />);
    expect(screen.getByText('alertes DMP indisponibles')).toBeTruthy();
    expect(fake.calls).toHaveLength(0);

    fake.state.status = QUALIFIED({ authorization: 'VALIDE', access: { mode: 'normal', source: 'td02_valide' } });
    const ldl = entry({ title: 'LDL', creationTime: '2019-12-03T12:30:00.000Z' });
    const allergyLetter = entry({ title: 'Lettre avec allergie', creationTime: '2019-11-03T12:30:00.000Z' });
    const img = entry({ title: 'Scanner récent', typeCode: { code: '18748-4' }, creationTime: '2019-12-01T08:00:00.000Z' });
    const oldImg = entry({ title: 'Scanner ancien', typeCode: { code: '18748-4' }, creationTime: '2019-01-01T08:00:00.000Z' });
    fake.state.entries = [ldl, allergyLetter, img, oldImg];
    fake.state.contents.set(ldl.uniqueId, { mimeType: 'text/xml', encoding: 'text', content: readFixture('cda', 'LDL-SES_2022.01.xml') });
    fake.state.contents.set(allergyLetter.uniqueId, { mimeType: 'text/xml', encoding: 'text', content: cdaWithSection(ALLERGY_SECTION) });
    show(<DmpPanel patient={p} role="medecin" />);
    await screen.findByText(/examen récent : Scanner récent/);
    await screen.findByText('allergie : Pénicilline G');
    // Current treatments only: LEPONEX is current on that day, SOLIAN is not.
    expect(screen.getByText('traitement : LEPONEX 100 mg')).toBeTruthy();
    expect(screen.queryByText('traitement : SOLIAN 100 mg')).toBeNull();
    expect(screen.queryByText('examen récent : Scanner ancien')).toBeNull();
    // Only the structured letter was retrieved for the alerts (not the imaging reports).
    expect(fake.calls.filter((c) => c.method === 'dmp.retrieve').map((c) => (c.input.document as { uniqueId: string }).uniqueId).sort()).toEqual([ldl.uniqueId, allergyLetter.uniqueId].sort());
  });
});
