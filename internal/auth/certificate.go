package auth

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"
	"software.sslmate.com/src/go-pkcs12"
)

// loadCertificate reads a PEM file (certificate and unencrypted private
// key) or a PFX/PKCS#12 file, opened with password, and returns an MSAL
// certificate credential. Entra accepts RSA keys only. label is how
// errors quote the path (see Config.pathLabel).
func loadCertificate(path, label, password string) (confidential.Credential, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return confidential.Credential{}, fmt.Errorf("certificate_path %s cannot be read: %w", label, unwrapPath(err))
	}
	var certs []*x509.Certificate
	var key any
	if bytes.Contains(data, []byte("-----BEGIN ")) {
		certs, key, err = fromPEM(label, data)
	} else {
		certs, key, err = fromPFX(label, data, password)
	}
	if err != nil {
		return confidential.Credential{}, err
	}
	if _, ok := key.(*rsa.PrivateKey); !ok {
		return confidential.Credential{}, fmt.Errorf("certificate %s: the private key is %T; Entra ID client certificates must use an RSA key", label, key)
	}
	cred, err := confidential.NewCredFromCert(certs, key)
	if err != nil {
		return confidential.Credential{}, fmt.Errorf("certificate %s: %w", label, err)
	}
	return cred, nil
}

// fromPEM reads an unencrypted PEM file. MSAL rejects encrypted keys
// (legacy DEK-Info blocks with an error, PKCS#8 ones by skipping them), so
// the PKCS#8 case is caught here with advice; a password is never used.
func fromPEM(label string, data []byte) ([]*x509.Certificate, any, error) {
	if bytes.Contains(data, []byte("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
		return nil, nil, fmt.Errorf("certificate %s holds an encrypted PKCS#8 key (BEGIN ENCRYPTED PRIVATE KEY), which cannot be read; "+
			"convert it to a PFX file (openssl pkcs12 -export -in cert.pem -inkey key.pem -out cert.pfx) and set certificate_password, "+
			"or decrypt the key (openssl pkey -in key.pem -out plain-key.pem)", label)
	}
	certs, key, err := confidential.CertFromPEM(data, "")
	if err != nil {
		return nil, nil, fmt.Errorf("certificate %s: %w (the file must hold the certificate and its private key)", label, err)
	}
	return certs, key, nil
}

func fromPFX(label string, data []byte, password string) ([]*x509.Certificate, any, error) {
	key, leaf, chain, err := pkcs12.DecodeChain(data, password)
	switch {
	case errors.Is(err, pkcs12.ErrIncorrectPassword):
		if password == "" {
			return nil, nil, fmt.Errorf("certificate %s is password protected: set %s", label, passwordSetting)
		}
		return nil, nil, fmt.Errorf("certificate %s: %s does not open it (wrong password)", label, passwordSetting)
	case err != nil:
		return nil, nil, fmt.Errorf("certificate %s is neither PEM nor a readable PFX/PKCS#12 file: %w", label, err)
	}
	return append([]*x509.Certificate{leaf}, chain...), key, nil
}

// unwrapPath drops the path from an *fs.PathError, whose message would
// repeat the expanded path without the form the user wrote.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
