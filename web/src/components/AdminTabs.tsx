// The sections of the admin area, under one "Admin" entry of the main navigation.
import { NavLink } from "react-router";

export function AdminTabs() {
  return (
    <nav aria-label="Admin sections">
      <ul className="tabs">
        <li>
          <NavLink to="/admin/accounts">Accounts</NavLink>
        </li>
        <li>
          <NavLink to="/admin/instances">Instances</NavLink>
        </li>
        <li>
          <NavLink to="/admin/lists" end>
            Lists
          </NavLink>
        </li>
        <li>
          <NavLink to="/admin/lists/new">New list</NavLink>
        </li>
      </ul>
    </nav>
  );
}
