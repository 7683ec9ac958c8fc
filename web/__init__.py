"""The review desk: a small Flask application over the project's database, served by waitress
(`recon web`). It reads and writes through the store's functions only (store.deskstore); every
permission is decided here, on the server, from the signed-in user (reconcile.desk.permissions);
every word comes from the catalogue (reconcile/messages/web.py); every static file ships with the
package (no CDN, no outside fonts); no inline script or style (Content-Security-Policy 'self')."""

from web.app import create_app

__all__ = ["create_app"]
