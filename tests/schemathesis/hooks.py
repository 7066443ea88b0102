"""schemathesis hooks for clipjury: tus PATCH bodies (`application/offset+octet-stream`) are plain bytes."""

import schemathesis

schemathesis.serializer.alias("application/offset+octet-stream", "application/octet-stream")
