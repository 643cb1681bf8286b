// `?url` asset imports (the pdf.js worker) are typed by Vite's client declarations.
/// <reference types="vite/client" />
