-- Documents read again from their file ($current): withdrawn before (the file was deleted or edited, then
-- put back), they are not any more.
DELETE FROM withdrawn_documents WHERE list_contains($current::VARCHAR[], document_id);
