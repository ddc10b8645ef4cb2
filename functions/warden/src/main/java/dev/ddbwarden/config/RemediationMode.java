package dev.ddbwarden.config;

import java.util.Locale;

/** Whether ddb-warden changes what it finds or only reports it. */
public enum RemediationMode {
    REMEDIATE, NOTIFY;

    static RemediationMode parse(String raw) {
        if (raw == null || raw.isBlank()) {
            return REMEDIATE;
        }
        switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "remediate":
                return REMEDIATE;
            case "notify":
                return NOTIFY;
            default:
                throw new ConfigException(EnvVar.REMEDIATION_MODE,
                        "'" + raw + "' is not a mode; use remediate or notify");
        }
    }
}
