import { hasRole, UNIT_BOUND_ROLES } from '../../../../shared/authz/roles';
import type { Role } from '../../../../shared/bridge/roles';

/** The DPO and the administrator see no patient data: they hold no care unit (as main's directory checks). */
export function roleHasUnits(role: Role): boolean {
  return hasRole(UNIT_BOUND_ROLES, role);
}

/** Several care units per user: one checkbox per unit known on this workstation. */
export function UnitChoice({ units, chosen, onChange }: { units: string[]; chosen: string[]; onChange: (units: string[]) => void }) {
  const toggle = (u: string) => onChange(chosen.includes(u) ? chosen.filter((x) => x !== u) : [...chosen, u]);
  return (
    <fieldset className="unit-choice">
      <legend>Unités de soins</legend>
      {units.map((u) => (
        <label key={u}>
          <input type="checkbox" checked={chosen.includes(u)} onChange={() => toggle(u)} />
          {u}
        </label>
      ))}
    </fieldset>
  );
}
