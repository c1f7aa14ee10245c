// SPDX-License-Identifier: Apache-2.0
// Exported as out/404.html: what the gateway shows for an unknown page.
export default function NotFound() {
  return (
    <>
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. A bridge lives at <code>/owner/repository/issues/number</code>, like the
        issue on GitHub. <a href="/">Go to the home page</a>.
      </p>
    </>
  );
}
