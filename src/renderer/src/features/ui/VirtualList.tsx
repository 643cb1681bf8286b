import { defaultRangeExtractor, observeElementRect, useVirtualizer, type Range } from '@tanstack/react-virtual';
import { useCallback, useEffect, useId, useImperativeHandle, useRef, useState, type KeyboardEvent, type ReactNode, type Ref } from 'react';

// A list not laid out yet (hidden tab, test DOM) measures 0 px: render a screenful anyway.
const FALLBACK_RECT = { width: 1000, height: 600 };

/** What a combobox that keeps the focus (the search box) uses to drive the list. */
export interface VirtualListHandle {
  /** Handles a navigation key; true when it was one (the caller then prevents the default). */
  handleKey(key: string): boolean;
}

export interface VirtualListProps<T> {
  items: readonly T[];
  /** Fixed height of a row, in pixels. */
  rowHeight: number;
  rowKey(item: T): string | number;
  /** The row's content: cells (role="cell") for a grid, the option's text for a listbox. */
  renderRow(item: T, index: number): ReactNode;
  rowClassName?(item: T, index: number): string;
  /** A grid owns the focus itself; a listbox is driven by its combobox through `handle`. */
  role: 'grid' | 'listbox';
  label: string;
  /** The list's DOM id (aria-controls of a combobox); a generated one otherwise. */
  id?: string;
  className?: string;
  scrollClassName?: string;
  scrollTestId?: string;
  rowTestId?: string;
  /** A grid's header row (role="row" holding role="columnheader" cells), kept out of the scrolling area. */
  header?: ReactNode;
  /** Shown in the scrolling area when there is no row. */
  empty?: ReactNode;
  /** All rows, loaded or not (aria-rowcount / aria-setsize); defaults to the items given. */
  total?: number;
  /** Controlled active row; the list keeps its own when absent. */
  activeIndex?: number;
  onActiveIndexChange?(index: number): void;
  /** Enter on the active row, or a click on a row. */
  onActivate?(item: T, index: number): void;
  /** The last row rendered changed: the caller may fetch the next page. */
  onLastRendered?(index: number): void;
  handle?: Ref<VirtualListHandle>;
  overscan?: number;
}

/** The DOM id of a row, for aria-activedescendant. */
export function virtualRowId(listId: string, index: number): string {
  return `${listId}-row-${index}`;
}

/** Where a navigation key moves the active row; null for any other key. */
export function nextIndex(key: string, current: number, count: number, page: number): number | null {
  if (count === 0) return null;
  const last = count - 1;
  switch (key) {
    case 'ArrowDown':
      return Math.min(current + 1, last);
    case 'ArrowUp':
      return Math.max(current - 1, 0);
    case 'PageDown':
      return Math.min(current + page, last);
    case 'PageUp':
      return Math.max(current - page, 0);
    case 'Home':
      return 0;
    case 'End':
      return last;
    default:
      return null;
  }
}

/**
 * The one virtualised list of the renderer (search results, DMP documents, journal):
 * fixed-height rows, only the visible ones in the DOM, keyboard navigation (arrows,
 * Page Up/Down, Home/End, Enter) announced through aria-activedescendant.
 */
export function VirtualList<T>(props: VirtualListProps<T>) {
  const { items, rowHeight, role, onActivate, onLastRendered } = props;
  const ownId = useId();
  const listId = props.id ?? ownId;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [ownActive, setOwnActive] = useState(0);
  const active = Math.min(props.activeIndex ?? ownActive, items.length - 1);
  const setActive = (i: number) => {
    setOwnActive(i);
    props.onActiveIndexChange?.(i);
  };
  // The active row stays in the DOM even when scrolled away: aria-activedescendant must name an element.
  const rangeExtractor = useCallback(
    (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      if (active < 0 || indexes.includes(active)) return indexes;
      return [...indexes, active].sort((a, b) => a - b);
    },
    [active],
  );
  const virtualizer = useVirtualizer({
    count: items.length,
    rangeExtractor,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: props.overscan ?? 8,
    initialRect: FALLBACK_RECT,
    observeElementRect: (instance, cb) => observeElementRect(instance, (rect) => cb(rect.height > 0 ? rect : FALLBACK_RECT)),
  });
  const rows = virtualizer.getVirtualItems();
  const lastRendered = rows.at(-1)?.index ?? -1;
  useEffect(() => {
    if (lastRendered >= 0) onLastRendered?.(lastRendered);
  }, [lastRendered, onLastRendered]);

  const handleKey = (key: string): boolean => {
    if (key === 'Enter') {
      const item = items[active];
      if (item === undefined || !onActivate) return false;
      onActivate(item, active);
      return true;
    }
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight || FALLBACK_RECT.height) / rowHeight) - 1);
    const next = nextIndex(key, Math.max(active, 0), items.length, page);
    if (next === null) return false;
    setActive(next);
    virtualizer.scrollToIndex(next);
    return true;
  };
  useImperativeHandle(props.handle, () => ({ handleKey }));
  const onKeyDown = (e: KeyboardEvent) => {
    // Keys aimed at a control inside a row (a button) stay that control's.
    if (e.target !== e.currentTarget) return;
    if (handleKey(e.key)) e.preventDefault();
  };

  const isGrid = role === 'grid';
  const count = props.total ?? items.length;
  return (
    <div
      id={listId}
      role={role}
      aria-label={props.label}
      className={props.className}
      {...(isGrid
        ? { 'aria-rowcount': count + (props.header ? 1 : 0), tabIndex: 0, onKeyDown, 'aria-activedescendant': active >= 0 ? virtualRowId(listId, active) : undefined }
        : {})}
    >
      {props.header}
      <div ref={scrollRef} className={props.scrollClassName} data-testid={props.scrollTestId}>
        {items.length === 0 && props.empty}
        <div role={isGrid ? 'rowgroup' : 'presentation'} style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {rows.map((v) => {
            const item = items[v.index]!;
            const isActive = v.index === active;
            return (
              <div
                key={props.rowKey(item)}
                id={virtualRowId(listId, v.index)}
                role={isGrid ? 'row' : 'option'}
                {...(isGrid ? { 'aria-rowindex': v.index + (props.header ? 2 : 1) } : { 'aria-selected': isActive, 'aria-setsize': count, 'aria-posinset': v.index + 1 })}
                className={[props.rowClassName?.(item, v.index), isActive ? 'is-active' : ''].filter(Boolean).join(' ')}
                data-testid={props.rowTestId}
                // The row's stable key (a patient or document id) for probes that wait on one row; ids are per index.
                data-key={props.rowKey(item)}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: rowHeight, transform: `translateY(${v.start}px)` }}
                onClick={() => {
                  setActive(v.index);
                  if (!isGrid) onActivate?.(item, v.index);
                }}
              >
                {props.renderRow(item, v.index)}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
