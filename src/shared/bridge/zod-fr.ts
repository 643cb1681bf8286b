import { z } from 'zod';
import fr from 'zod/v4/locales/fr.js';

/** Validation messages in French: users read them. Imported once by the contract. */
z.config(fr());
