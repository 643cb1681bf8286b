import { expect, test } from './fixtures';

test('the renderer calls the host through the bridge and shows its answer', async ({ page, workstation }) => {
  await page.goto(workstation.url);
  await expect(page.getByTestId('workstation-name')).toHaveText('Poste e2e');
  await expect(page.getByRole('heading', { name: 'Identification' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/shell.png' });
});

test('an invalid payload gets a typed error and the host keeps serving', async ({ page, workstation }) => {
  await page.goto(workstation.url);
  const answers = await page.evaluate(async () => {
    const token = document.querySelector<HTMLMetaElement>('meta[name="workstation-bridge-token"]')!.content;
    const post = async (method: string, body: string) => {
      const r = await fetch(`/bridge/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Workstation-Token': token }, body });
      return { status: r.status, json: await r.json() };
    };
    return {
      wrongType: await post('app.echo', JSON.stringify({ text: 42 })),
      malformed: await post('app.echo', '{"text":'),
      unknown: await post('app.dropTables', '{}'),
      after: await post('app.echo', JSON.stringify({ text: 'toujours là' })),
    };
  });
  expect(answers.wrongType.json).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  expect(answers.wrongType.json.error.message).toContain('text');
  expect(answers.malformed).toMatchObject({ status: 400, json: { ok: false, error: { code: 'INVALID_INPUT' } } });
  expect(answers.unknown.json).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  expect(answers.after.json).toMatchObject({ ok: true, value: { text: 'toujours là' } });
});

test('the online indicator follows the connection state', async ({ page, context, workstation }) => {
  await page.goto(workstation.url);
  const indicator = page.getByTestId('online-indicator');
  await expect(indicator).toContainText('En ligne');
  await context.setOffline(true);
  await expect(indicator).toContainText('Hors ligne');
  await page.screenshot({ path: 'test-results/screens/shell-offline.png' });
  await context.setOffline(false);
  await expect(indicator).toContainText('En ligne');
});

test('the page runs under the strict CSP with no violation', async ({ page, workstation }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  const response = await page.goto(workstation.url);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  await expect(page.getByTestId('workstation-name')).toHaveText('Poste e2e');
  expect(violations).toEqual([]);
});
