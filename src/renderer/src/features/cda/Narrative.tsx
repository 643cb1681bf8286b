import { useState, type ReactNode } from 'react';
import type { CdaStyle, NarrativeNode, NarrativeTable } from '../../../../shared/cda';

// Section narrative → React elements. Plain functions (not components) keep the React tree as
// shallow as the document; nothing from the document becomes markup, a URL or a class name
// except the allow-listed style codes.

const STYLE_CLASS: Record<CdaStyle, string> = {
  bold: 'cda-bold',
  italics: 'cda-italics',
  underline: 'cda-underline',
  emphasis: 'cda-emphasis',
  lrule: 'cda-lrule',
  rrule: 'cda-rrule',
  toprule: 'cda-toprule',
  botrule: 'cda-botrule',
};

function classes(base: string, styles: CdaStyle[]): string {
  return [base, ...styles.map((s) => STYLE_CLASS[s])].filter(Boolean).join(' ');
}

export function plainText(nodes: NarrativeNode[] | undefined): string {
  if (!nodes) return '';
  return nodes
    .map((n) => {
      if (n.type === 'text') return n.text;
      if ('children' in n) return plainText(n.children);
      return '';
    })
    .join('')
    .trim();
}

export function renderNarrative(nodes: NarrativeNode[], key = 'n'): ReactNode[] {
  return nodes.map((node, i) => renderNode(node, `${key}.${i}`));
}

function renderNode(node: NarrativeNode, key: string): ReactNode {
  switch (node.type) {
    case 'text':
      return node.text;
    case 'paragraph':
      // A div, not <p>: hostile documents nest tables in paragraphs and <p> cannot hold them.
      return (
        <div key={key} className={classes('cda-paragraph', node.styles)}>
          {node.caption && <div className="cda-caption">{renderNarrative(node.caption, key)}</div>}
          {renderNarrative(node.children, key)}
        </div>
      );
    case 'content': {
      const className = classes(node.revised === 'delete' ? 'cda-deleted' : node.revised === 'insert' ? 'cda-inserted' : '', node.styles);
      return (
        <span key={key} className={className || undefined}>
          {renderNarrative(node.children, key)}
        </span>
      );
    }
    case 'br':
      return <br key={key} />;
    case 'sub':
      return <sub key={key}>{renderNarrative(node.children, key)}</sub>;
    case 'sup':
      return <sup key={key}>{renderNarrative(node.children, key)}</sup>;
    case 'footnote':
      return (
        <small key={key} className="cda-footnote">
          [note{node.id ? ` ${node.id}` : ''} : {renderNarrative(node.children, key)}]
        </small>
      );
    case 'footnoteRef':
      return <sup key={key} className="cda-footnote-ref">[{node.idref ?? '?'}]</sup>;
    case 'link':
      return (
        <span key={key} className="cda-link" title="Lien non suivi : les liens des documents ne sont jamais ouverts">
          {renderNarrative(node.children, key)}
          {node.href && (
            <span className={node.safeScheme ? 'cda-link-url' : 'cda-link-url cda-link-unsafe'}>
              {' '}
              [{node.safeScheme ? 'lien' : 'lien suspect'} non ouvert : {node.href}]
            </span>
          )}
        </span>
      );
    case 'image':
      // dataUri was built by the parser from decoded bytes of a checked png/jpeg/gif: never a URL.
      return node.dataUri.startsWith(`data:${node.mediaType};base64,`) ? (
        <figure key={key} className="cda-figure">
          <img src={node.dataUri} alt={plainText(node.caption) || `Image ${node.objectId}`} className="cda-image" />
          {node.caption && <figcaption>{renderNarrative(node.caption, key)}</figcaption>}
        </figure>
      ) : null;
    case 'media':
      return (
        <span key={key} className="cda-media">
          {mediaMessage(node)}
        </span>
      );
    case 'list': {
      const items = node.items.map((item, i) => <li key={`${key}.i${i}`}>{renderNarrative(item, `${key}.i${i}`)}</li>);
      return (
        <div key={key} className="cda-list">
          {node.caption && <div className="cda-caption">{renderNarrative(node.caption, key)}</div>}
          {node.ordered ? <ol>{items}</ol> : <ul>{items}</ul>}
        </div>
      );
    }
    case 'table':
      return renderTable(node, key);
    case 'unknown':
      return (
        <span key={key} className="cda-unsupported">
          Élément non pris en charge : {node.name}
          {node.text ? ` — « ${node.text} »` : ''}
        </span>
      );
    case 'truncated':
      return (
        <span key={key} className="cda-unsupported">
          Contenu trop profondément imbriqué : non affiché
        </span>
      );
    default:
      return null;
  }
}

function mediaMessage(node: Extract<NarrativeNode, { type: 'media' }>): string {
  switch (node.status) {
    case 'pdf':
      return 'Document PDF joint (affiché ci-dessous)';
    case 'external':
      return `Contenu externe non chargé : ${node.reference ?? node.objectId}`;
    case 'unsupported':
      return `Contenu joint non affichable (${node.mediaType ?? 'type inconnu'})`;
    case 'invalid':
      return `Contenu joint illisible (${node.objectId})`;
    case 'missing':
    default:
      return `Contenu référencé introuvable${node.objectId ? ` (${node.objectId})` : ''}`;
  }
}

function renderTable(table: NarrativeTable, key: string): ReactNode {
  return <CdaTable key={key} table={table} tableKey={key} />;
}

/** Long result tables open on their first rows: a 2,000-row lab table must not freeze the viewer. */
const FIRST_ROWS = 100;

function CdaTable({ table, tableKey: key }: { table: NarrativeTable; tableKey: string }) {
  const [showAll, setShowAll] = useState(false);
  const bodyRows = table.groups.filter((g) => g.kind === 'tbody').reduce((n, g) => n + g.rows.length, 0);
  const clipped = !showAll && bodyRows > FIRST_ROWS * 1.5;
  let budget = FIRST_ROWS;
  return (
    <div className="cda-table-wrap">
      <table className="cda-table">
        {table.caption && <caption>{renderNarrative(table.caption, key)}</caption>}
        {table.groups.map((group, g) => {
          let groupRows = group.rows;
          if (clipped && group.kind === 'tbody') {
            groupRows = group.rows.slice(0, Math.max(0, budget));
            budget -= groupRows.length;
          }
          const rows = groupRows.map((row, r) => (
            <tr key={`${key}.g${g}r${r}`}>
              {row.cells.map((cell, c) => {
                const cellKey = `${key}.g${g}r${r}c${c}`;
                const props = { className: classes('', cell.styles) || undefined, colSpan: cell.colSpan, rowSpan: cell.rowSpan };
                return cell.header ? (
                  <th {...props} key={cellKey}>
                    {renderNarrative(cell.children, cellKey)}
                  </th>
                ) : (
                  <td {...props} key={cellKey}>
                    {renderNarrative(cell.children, cellKey)}
                  </td>
                );
              })}
            </tr>
          ));
          const groupKey = `${key}.g${g}`;
          if (group.kind === 'thead') return <thead key={groupKey}>{rows}</thead>;
          if (group.kind === 'tfoot') return <tfoot key={groupKey}>{rows}</tfoot>;
          return <tbody key={groupKey}>{rows}</tbody>;
        })}
      </table>
      {clipped && (
        <button type="button" className="cda-table-more" onClick={() => setShowAll(true)}>
          Afficher les {bodyRows - FIRST_ROWS} lignes suivantes ({bodyRows} au total)
        </button>
      )}
    </div>
  );
}
