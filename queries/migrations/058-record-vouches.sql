-- Whether the record vouches for the hands behind it (a phishing-resistant factor, a joined device, a device the
-- vendor's behaviour detection already knew): set by the import from each source's declaration (core/sources
-- `vouches`), so that analysis reads a flag rather than the verbatim records. Events stored before it are read once
-- here from their text, as the analysis read them until then.
ALTER TABLE events ADD COLUMN vouches BOOLEAN;
UPDATE events SET vouches =
  regexp_matches(raw, '"authenticationMethod"\s*:\s*"(?:FIDO2 security key|Passkey[^"]*|Windows Hello for Business|X\.509 Certificate|Certificate-based authentication)"\s*,\s*"(?:authenticationMethodDetail"\s*:\s*(?:null|"[^"]*")\s*,\s*")?succeeded"\s*:\s*true')
  OR regexp_matches(raw, '"trustType"\s*:\s*"(?:Azure AD joined|Hybrid Azure AD joined|Microsoft Entra joined|Microsoft Entra hybrid joined)"')
  OR regexp_matches(raw, '"name"\s*:\s*"login_challenge_method"\s*,\s*"multiValue"\s*:\s*\[[^\]]*"(?:security_key|passkey)"')
  OR regexp_matches(raw, '"factor"\s*:\s*"(?:FIDO_WEBAUTHN|WEBAUTHN|SIGNED_NONCE)"')
  OR (regexp_matches(raw, '"behaviors"\s*:\s*"[^"]*New Device=NEGATIVE') AND NOT regexp_matches(raw, '"behaviors"\s*:\s*"[^"]*Velocity=POSITIVE')
      AND NOT regexp_matches(raw, '"risk"\s*:\s*"[^"]*level=HIGH'));
