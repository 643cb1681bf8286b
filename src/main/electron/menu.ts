import type { MenuItemConstructorOptions } from 'electron';

/**
 * The application menu, in French. Production keeps only what a clinician uses (quit, clipboard,
 * zoom, about): no reload (it would drop a form being typed) and no developer tools, whose
 * console reads the renderer's memory. Development adds them back under « Développement ».
 */
export function menuTemplate(opts: { production: boolean; appName: string; platform?: NodeJS.Platform }): MenuItemConstructorOptions[] {
  const mac = (opts.platform ?? process.platform) === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(mac ? [{ label: opts.appName, submenu: [{ role: 'about', label: `À propos de ${opts.appName}` }, { type: 'separator' }, { role: 'quit', label: 'Quitter' }] } satisfies MenuItemConstructorOptions] : []),
    { label: 'Fichier', submenu: [{ role: mac ? 'close' : 'quit', label: mac ? 'Fermer la fenêtre' : 'Quitter' }] },
    {
      label: 'Édition',
      submenu: [
        { role: 'undo', label: 'Annuler' },
        { role: 'redo', label: 'Rétablir' },
        { type: 'separator' },
        { role: 'cut', label: 'Couper' },
        { role: 'copy', label: 'Copier' },
        { role: 'paste', label: 'Coller' },
        { role: 'selectAll', label: 'Tout sélectionner' },
      ],
    },
    {
      label: 'Affichage',
      submenu: [
        { role: 'resetZoom', label: 'Taille réelle' },
        { role: 'zoomIn', label: 'Zoom avant' },
        { role: 'zoomOut', label: 'Zoom arrière' },
        { type: 'separator' },
        { role: 'togglefullscreen', label: 'Plein écran' },
      ],
    },
  ];
  if (!opts.production) {
    template.push({
      label: 'Développement',
      submenu: [
        { role: 'reload', label: 'Recharger' },
        { role: 'forceReload', label: 'Recharger sans cache' },
        { role: 'toggleDevTools', label: 'Outils de développement' },
      ],
    });
  }
  if (!mac) template.push({ label: 'Aide', submenu: [{ role: 'about', label: `À propos de ${opts.appName}` }] });
  return template;
}
