import { fireEvent, render, screen } from '@testing-library/react';
import { createRef } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { nextIndex, VirtualList, type VirtualListHandle } from '../../../../src/renderer/src/features/ui';

const ITEMS = Array.from({ length: 1000 }, (_, i) => ({ id: `p${i}`, name: `Patient ${i}` }));

function grid(onActivate = vi.fn()) {
  render(
    <VirtualList
      role="grid"
      label="Liste"
      items={ITEMS}
      rowHeight={40}
      rowKey={(p) => p.id}
      renderRow={(p) => <span role="gridcell">{p.name}</span>}
      onActivate={onActivate}
      header={
        <div role="row" aria-rowindex={1}>
          <span role="columnheader">Nom</span>
        </div>
      }
    />,
  );
  return screen.getByRole('grid', { name: 'Liste' });
}

/** The row aria-activedescendant names, as a screen reader would read it. */
const activeRow = (owner: HTMLElement) => document.getElementById(owner.getAttribute('aria-activedescendant') ?? '');

describe('VirtualList', () => {
  it('is one tab stop that arrows, Page Down, End and Home move through, Enter activating the active row', () => {
    const onActivate = vi.fn();
    const g = grid(onActivate);
    expect(g.tabIndex).toBe(0);
    expect(g.getAttribute('aria-rowcount')).toBe('1001');
    expect(activeRow(g)?.textContent).toBe('Patient 0');

    fireEvent.keyDown(g, { key: 'ArrowDown' });
    fireEvent.keyDown(g, { key: 'ArrowDown' });
    fireEvent.keyDown(g, { key: 'ArrowUp' });
    expect(activeRow(g)?.textContent).toBe('Patient 1');
    // Row 1 of the data, after the header row: what a screen reader announces as the current row.
    expect(activeRow(g)?.getAttribute('aria-rowindex')).toBe('3');

    fireEvent.keyDown(g, { key: 'Enter' });
    expect(onActivate).toHaveBeenCalledWith(ITEMS[1], 1);

    // 600 px fallback height / 40 px rows: a page is 14 rows (one kept for context).
    fireEvent.keyDown(g, { key: 'PageDown' });
    expect(activeRow(g)?.textContent).toBe('Patient 15');

    fireEvent.keyDown(g, { key: 'End' });
    expect(activeRow(g)?.textContent).toBe('Patient 999');
    expect(activeRow(g)?.getAttribute('aria-rowindex')).toBe('1001');
    // Kept in the DOM at its place even before the scroll lands there.
    expect(activeRow(g)?.style.transform).toBe('translateY(39960px)');
    fireEvent.keyDown(g, { key: 'Home' });
    expect(activeRow(g)?.textContent).toBe('Patient 0');
  });

  it('renders a window of rows, not the thousand', () => {
    grid();
    const rendered = screen.getAllByRole('row').length - 1;
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(40);
  });

  it('leaves keys aimed at a control inside a row to that control', () => {
    const onActivate = vi.fn();
    render(
      <VirtualList
        role="grid"
        label="Liste"
        items={ITEMS.slice(0, 3)}
        rowHeight={40}
        rowKey={(p) => p.id}
        renderRow={(p) => <button type="button">{p.name}</button>}
        onActivate={onActivate}
      />,
    );
    fireEvent.keyDown(screen.getByRole('button', { name: 'Patient 0' }), { key: 'Enter' });
    fireEvent.keyDown(screen.getByRole('button', { name: 'Patient 0' }), { key: 'ArrowDown' });
    expect(onActivate).not.toHaveBeenCalled();
    expect(activeRow(screen.getByRole('grid'))?.textContent).toBe('Patient 0');
  });

  it('as a listbox, is driven by its combobox through the handle and marks the selected option', () => {
    const handle = createRef<VirtualListHandle>();
    const onActivate = vi.fn();
    render(<VirtualList role="listbox" label="Résultats" items={ITEMS} rowHeight={40} rowKey={(p) => p.id} renderRow={(p) => p.name} handle={handle} onActivate={onActivate} />);
    expect(handle.current!.handleKey('ArrowDown')).toBe(true);
    expect(handle.current!.handleKey('a')).toBe(false);
    fireEvent.click(screen.getByRole('option', { name: 'Patient 3' }));
    expect(onActivate).toHaveBeenCalledWith(ITEMS[3], 3);
    expect(screen.getByRole('option', { name: 'Patient 3' }).getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('option', { name: 'Patient 1' }).getAttribute('aria-selected')).toBe('false');
  });
});

describe('nextIndex', () => {
  it('clamps at both ends and ignores other keys', () => {
    expect(nextIndex('ArrowUp', 0, 5, 3)).toBe(0);
    expect(nextIndex('ArrowDown', 4, 5, 3)).toBe(4);
    expect(nextIndex('PageDown', 3, 5, 3)).toBe(4);
    expect(nextIndex('PageUp', 2, 5, 3)).toBe(0);
    expect(nextIndex('x', 2, 5, 3)).toBeNull();
    expect(nextIndex('ArrowDown', 0, 0, 3)).toBeNull();
  });
});
