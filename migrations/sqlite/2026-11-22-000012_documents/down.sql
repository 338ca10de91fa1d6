DROP TABLE submission_documents;
DROP TABLE documents;
DROP TABLE document_blob_chunks;
DROP TABLE document_blobs;
