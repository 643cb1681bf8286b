import { calls, host, startHost, stopHost } from './real-host';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

const { App } = await import('../../../../src/renderer/src/app/App');

afterEach(() => stopHost());

function type(label: string | RegExp, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

async function signIn(userId: string, password: string) {
  await screen.findByRole('heading', { name: 'Identification' });
  type('Identifiant', userId);
  type('Mot de passe', password);
  fireEvent.click(screen.getByRole('button', { name: 'Se connecter' }));
}

describe('session screens, against the real host', () => {
  it('a wrong password is refused in French and the field emptied; the right one opens the care workspace', async () => {
    await startHost();
    render(<App />);
    await signIn('dr.martin', 'pas-le-bon-mot-de-passe');
    expect((await screen.findByRole('alert')).textContent).toBe('Identifiant ou mot de passe incorrect.');
    expect((screen.getByLabelText('Mot de passe') as HTMLInputElement).value).toBe('');
    expect(screen.queryByRole('heading', { name: 'Patients' })).toBeNull();

    type('Mot de passe', 'Demo-Martin-2026');
    fireEvent.click(screen.getByRole('button', { name: 'Se connecter' }));
    expect(await screen.findByRole('heading', { name: 'Patients' })).toBeTruthy();
    expect(screen.getByText('Dr Claire Martin')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('locking hides the workspace behind the user’s name; a wrong password keeps it locked, the right one unlocks', async () => {
    await startHost();
    render(<App />);
    await signIn('inf.robert', 'Demo-Robert-2026');
    await screen.findByRole('heading', { name: 'Patients' });

    fireEvent.click(screen.getByRole('button', { name: 'Verrouiller' }));
    const lock = await screen.findByRole('form', { name: 'Session verrouillée' });
    expect(within(lock).getByText('Camille Robert — Infirmier / infirmière')).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Patients' })).toBeNull();

    fireEvent.change(within(lock).getByLabelText('Mot de passe'), { target: { value: 'Demo-Martin-2026' } });
    fireEvent.click(within(lock).getByRole('button', { name: 'Déverrouiller' }));
    expect((await within(lock).findByRole('alert')).textContent).toBe('Identifiant ou mot de passe incorrect.');
    expect((within(lock).getByLabelText('Mot de passe') as HTMLInputElement).value).toBe('');

    fireEvent.change(within(lock).getByLabelText('Mot de passe'), { target: { value: 'Demo-Robert-2026' } });
    fireEvent.click(within(lock).getByRole('button', { name: 'Déverrouiller' }));
    expect(await screen.findByRole('heading', { name: 'Patients' })).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'Session verrouillée' })).toBeNull();
  });

  it('"Changer d’utilisateur" from the lock screen goes back to sign-in', async () => {
    await startHost();
    render(<App />);
    await signIn('dr.martin', 'Demo-Martin-2026');
    await screen.findByRole('heading', { name: 'Patients' });
    fireEvent.click(screen.getByRole('button', { name: 'Verrouiller' }));
    const lock = await screen.findByRole('form', { name: 'Session verrouillée' });
    fireEvent.click(within(lock).getByRole('button', { name: 'Changer d’utilisateur' }));
    expect(await screen.findByRole('heading', { name: 'Identification' })).toBeTruthy();
    expect(screen.queryByText('Dr Claire Martin')).toBeNull();
    // The session's own calls; the record's background sync polls on its own clock.
    const sessionCalls = calls.filter((c) => c.method.startsWith('session.'));
    expect(sessionCalls.map((c) => c.method).slice(-2)).toEqual(['session.lock', 'session.logout']);
    expect(sessionCalls.at(-1)!.input).toEqual({ switchUser: true });
  });

  it('first run: mismatched passwords are caught on screen, then the administrator is created and signed in', async () => {
    await startHost({ kind: 'empty' });
    render(<App />);
    await screen.findByRole('heading', { name: 'Première mise en service' });
    type('Nom affiché', 'Responsable informatique');
    type('Mot de passe (12 caractères au moins)', 'Poste-Neuf-2026!');
    type('Confirmez le mot de passe', 'Poste-Neuf-2027!');
    fireEvent.click(screen.getByRole('button', { name: 'Créer le compte administrateur' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Les deux mots de passe ne sont pas identiques.');

    type('Confirmez le mot de passe', 'Poste-Neuf-2026!');
    fireEvent.click(screen.getByRole('button', { name: 'Créer le compte administrateur' }));
    expect(await screen.findByRole('heading', { name: 'Utilisateurs du poste' })).toBeTruthy();
    expect(screen.getByText('Responsable informatique')).toBeTruthy();
    // The account exists on the host: a second first run is no longer offered.
    const status = await host().dispatch('session.status', {}, { clientId: 'someone-else', transport: 'ipc' });
    expect(status).toMatchObject({ ok: true, value: { state: 'anonymous' } });
  });
});
