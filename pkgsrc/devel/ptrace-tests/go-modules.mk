# $NetBSD$

GO_MODULE_FILES+=	github.com/google/go-cmp/@v/v0.7.0.mod
GO_MODULE_FILES+=	github.com/google/go-cmp/@v/v0.7.0.zip
GO_MODULE_FILES+=	golang.org/x/sys/@v/v0.50.0.mod
GO_MODULE_FILES+=	golang.org/x/sys/@v/v0.50.0.zip
