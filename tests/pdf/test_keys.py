"""Signing identities: self-signed and imported PKCS#12, file modes, passwords; the trust list."""

from __future__ import annotations

import datetime as dt
import stat

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from app.errors import SigningError, WrongPasswordError
from app.pdf import identity as ids
from tests.conftest import run_cli
from tests.pdf.conftest import PASSWORD


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_a_self_signed_identity_is_encrypted_private_and_fit_for_signing(identity):
    assert identity.name == "asa-lindstrom" and identity.self_signed
    assert _mode(identity.path) == 0o600 and _mode(identity.path.parent) == 0o700
    data = identity.path.read_bytes()
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(data, b"wrong")
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(data, None)
    key, cert, _extra = pkcs12.load_key_and_certificates(data, PASSWORD.encode())
    assert isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name == "secp256r1"
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    years = (cert.not_valid_after_utc - cert.not_valid_before_utc).days / 365
    assert 4.99 < years < 5.02
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "Kreditgarantiföreningen Väst"
    assert [i.name for i in ids.list_identities()] == ["asa-lindstrom"]
    assert ids.find_identity() == identity and ids.find_identity("asa-lindstrom") == identity
    assert ids.load_signer(identity, PASSWORD) is not None
    with pytest.raises(WrongPasswordError):
        ids.load_signer(identity, "wrong")


def test_rsa_identities_and_unique_names():
    first = ids.create_identity("Bo Ek", "", "pw", key_type="rsa")
    second = ids.create_identity("Bo Ek", "", "pw")
    key, _cert, _ = pkcs12.load_key_and_certificates(first.path.read_bytes(), b"pw")
    assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == 3072
    assert (first.name, second.name) == ("bo-ek", "bo-ek-2")
    with pytest.raises(SigningError):
        ids.find_identity()  # two: the caller must choose
    with pytest.raises(SigningError):
        ids.create_identity("Bo Ek", "", "")  # a password is required


def _issued_p12(tmp_path, password: bytes) -> tuple:
    """A CA and a signing certificate it issued, as an organisation would hand out."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Likvärd Test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(1).not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=900))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                       crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Élodie Martin"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Garantie Solidaire")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(ca_name).public_key(key.public_key())
            .serial_number(2).not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=365))
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(ca_key, hashes.SHA256()))
    p12 = tmp_path / "issued.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(b"elodie", key, cert, [ca],
                                                          serialization.BestAvailableEncryption(password)))
    ca_pem = tmp_path / "ca.pem"
    ca_pem.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    return p12, ca_pem


def test_importing_an_issued_identity_checks_its_password(tmp_path):
    p12, _ca = _issued_p12(tmp_path, b"org-secret")
    with pytest.raises(WrongPasswordError):
        ids.import_identity(p12, "wrong")
    assert ids.list_identities() == []
    ident = ids.import_identity(p12, "org-secret")
    assert ident.name == "elodie-martin" and not ident.self_signed and ident.organisation == "Garantie Solidaire"
    assert _mode(ident.path) == 0o600 and ident.path.read_bytes() == p12.read_bytes()


def test_a_pdf_signed_with_an_issued_identity_is_trusted_through_its_ca(services, all_types_version, tmp_path):
    from app.pdf.verify import verify_pdf
    from tests.pdf.conftest import fill_case

    p12, ca_pem = _issued_p12(tmp_path, b"org-secret")
    ident = ids.import_identity(p12, "org-secret")
    aid = fill_case(services, all_types_version)
    out = tmp_path / "fr.pdf"
    services.summaries.export_pdf(aid, out, lang="fr", identity=ident, password="org-secret")
    assert verify_pdf(out).signatures[0].trust == "untrusted"
    ids.add_trusted(ca_pem)
    result = verify_pdf(out, ids.trust_roots())
    assert result.state == "intact" and result.signatures[0].trust == "trusted"
    assert result.signatures[0].signer == "Élodie Martin"


def test_the_trust_list(tmp_path):
    _p12, ca_pem = _issued_p12(tmp_path, b"x")
    added = ids.add_trusted(ca_pem)
    assert [t.subject for t in ids.list_trusted()] == ["CN=Likvärd Test CA"]
    der = tmp_path / "ca.der"
    der.write_bytes(x509.load_pem_x509_certificate(ca_pem.read_bytes()).public_bytes(serialization.Encoding.DER))
    ids.add_trusted(der)  # the same certificate again: stored once
    assert len(ids.list_trusted()) == 1
    bad = tmp_path / "bad.pem"
    bad.write_text("not a certificate")
    with pytest.raises(SigningError):
        ids.add_trusted(bad)
    ids.remove_trusted(added[0].fingerprint[:10])
    assert ids.list_trusted() == []
    with pytest.raises(SigningError):
        ids.remove_trusted("abcdef12")


def test_keys_on_the_command_line(tmp_path):
    env = {"LIKVARD_TEST_PW": "cli-lösen"}
    proc = run_cli("keys", "create", "--name", "Åsa Lindström", "--org", "KGF Väst", "--password-env",
                   "LIKVARD_TEST_PW", env=env)
    assert proc.returncode == 0, proc.stderr
    assert "asa-lindstrom" in proc.stdout and "cli-lösen" not in proc.stdout + proc.stderr
    listing = run_cli("keys", "list")
    assert "asa-lindstrom\tÅsa Lindström\tKGF Väst\tself-signed" in listing.stdout
    p12, _ca = _issued_p12(tmp_path, b"org-secret")
    proc = run_cli("keys", "import", str(p12), "--password-env", "LIKVARD_TEST_PW", env=env)
    assert proc.returncode == 1 and "password" in proc.stderr
    proc = run_cli("keys", "import", str(p12), "--password-env", "P12_PW", env={"P12_PW": "org-secret"})
    assert proc.returncode == 0 and "elodie-martin" in proc.stdout
    proc = run_cli("keys", "create", "--name", "X")  # no terminal, no variable: refused
    assert proc.returncode == 1 and "--password-env" in proc.stderr
