// A SAML 2.0 IdP stand-in for the compatibility suite: a key pair and self-signed certificate made with the openssl CLI,
// responses signed by Debian's xmlsec1 (an XML-DSig implementation independent of the broker's .NET SignedXml).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

export const ENTITY_ID = 'https://idp.example.com/metadata';
export const AWS_RECIPIENT = 'https://signin.aws.amazon.com/saml';
const ROLE_ATTRIBUTE = 'https://aws.amazon.com/SAML/Attributes/Role';

const iso = (date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function startSamlIdp() {
  const dir = mkdtempSync(join(tmpdir(), 'compat-saml-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  const attackerKey = join(dir, 'attacker-key.pem');
  const attackerCert = join(dir, 'attacker-cert.pem');
  for (const [k, c, cn] of [[key, cert, 'idp.example.com'], [attackerKey, attackerCert, 'attacker.example.net']]) {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', k, '-out', c, '-subj', `/CN=${cn}`, '-days', '2'],
      { stdio: 'ignore' });
  }
  const pemBody = (file) => readFileSync(file, 'utf8').replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const certificate = pemBody(cert);
  /** The attacker's certificate, base64 DER, for a KeyInfo the broker must never trust. */
  const attackerCertificate = pemBody(attackerCert);

  const metadata = `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${ENTITY_ID}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${certificate}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;

  /**
   * A base64 SAMLResponse for nameId, its assertion signed with RSA-SHA256 by xmlsec1 — by the attacker's key with
   * byAttacker; edit(xml) changes the signed document before it is encoded (issue 17's hostile cases).
   */
  function response({ nameId, providerArn, roleArn, audience = 'urn:amazon:webservices', byAttacker = false, edit = (xml) => xml }) {
    const now = new Date();
    const later = new Date(now.getTime() + 5 * 60_000);
    const id = `_a${randomUUID().replaceAll('-', '')}`;
    const template = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r${randomUUID().replaceAll('-', '')}" Version="2.0" IssueInstant="${iso(now)}" Destination="${AWS_RECIPIENT}">
<saml:Issuer>${ENTITY_ID}</saml:Issuer>
<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
<saml:Assertion ID="${id}" Version="2.0" IssueInstant="${iso(now)}">
<saml:Issuer>${ENTITY_ID}</saml:Issuer>
<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="#${id}"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue></ds:SignatureValue></ds:Signature>
<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">${nameId}</saml:NameID>
<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData Recipient="${AWS_RECIPIENT}" NotOnOrAfter="${iso(later)}"/></saml:SubjectConfirmation></saml:Subject>
<saml:Conditions NotBefore="${iso(new Date(now.getTime() - 60_000))}" NotOnOrAfter="${iso(later)}"><saml:AudienceRestriction><saml:Audience>${audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions>
<saml:AttributeStatement><saml:Attribute Name="${ROLE_ATTRIBUTE}"><saml:AttributeValue>${roleArn},${providerArn}</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>
</saml:Assertion>
</samlp:Response>`;
    const input = join(dir, `${id}.xml`);
    writeFileSync(input, template);
    const signed = execFileSync('xmlsec1', ['--sign', '--privkey-pem', byAttacker ? attackerKey : key,
      '--id-attr:ID', 'urn:oasis:names:tc:SAML:2.0:assertion:Assertion', input]);
    return Buffer.from(edit(signed.toString('utf8')), 'utf8').toString('base64');
  }

  return { metadata, response, attackerCertificate, stop: () => rmSync(dir, { recursive: true, force: true }) };
}
