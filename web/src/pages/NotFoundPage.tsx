import { Link } from "react-router";
import { Page } from "../components/Page.js";

export function NotFoundPage() {
  return (
    <Page title="Page not found">
      <p>There is no page at this address.</p>
      <p>
        <Link to="/">See the lists</Link>
      </p>
    </Page>
  );
}
