/**
 * References that a mutating webhook or a secrets tool replaces with the secret at admission or run
 * time. A value of this shape names where the secret lives; it is not the secret. Data, one entry
 * per tool, each with examples (tested).
 */

export interface ReferenceShape {
  /** The tool that resolves the reference. */
  tool: string;
  /** Tested against the whole trimmed value. */
  pattern: RegExp;
  /** Values that must match. */
  examples: readonly string[];
}

export const REFERENCE_SHAPES: readonly ReferenceShape[] = [
  { tool: 'Bank-Vaults (vault-secrets-webhook)', pattern: /^(?:>>)?vault:[^\s#]+#[^\s#]+(?:#\d+)?$/, examples: ['vault:secret/data/db#password', 'vault:secret/data/db#password#2', '>>vault:database/creds/app#username'] },
  { tool: 'akv2k8s (Azure Key Vault to Kubernetes)', pattern: /^[A-Za-z0-9][A-Za-z0-9-]*@azurekeyvault(?:\?\S*)?$/, examples: ['db-password@azurekeyvault', 'my-cert@azurekeyvault?tls.key'] },
  { tool: 'vals (helmfile, vals-operator)', pattern: /^ref\+[a-z0-9]+:\/\/\S+$/, examples: ['ref+vault://secret/db#/password', 'ref+awssecrets://app/db', 'ref+sops://secrets.yaml#/db/password'] },
  { tool: '1Password (op CLI, connect injector)', pattern: /^op:\/\/[^\s/]+\/[^\s/]+\/\S+$/, examples: ['op://prod/db/password', 'op://vault/item/section/field'] },
  { tool: 'AWS Secrets Manager / SSM Parameter Store ARN', pattern: /^arn:aws[a-z-]*:(?:secretsmanager|ssm):[a-z0-9-]*:\d*:(?:secret:|parameter\/)\S+$/, examples: ['arn:aws:secretsmanager:us-east-1:123456789012:secret:db-password-AbCdEf', 'arn:aws:ssm:eu-west-1:123456789012:parameter/app/db-password'] },
  { tool: 'GCP Secret Manager resource name', pattern: /^(?:gcp:secretmanager:)?projects\/[^\s/]+\/secrets\/[^\s/]+(?:\/versions\/[^\s/]+)?$/, examples: ['projects/my-project/secrets/db-password/versions/latest', 'gcp:secretmanager:projects/123/secrets/token/versions/2'] },
  { tool: 'GCP Secret Manager (berglas, secrets-store sm://)', pattern: /^(?:sm|berglas):\/\/\S+$/, examples: ['sm://my-project/db-password', 'berglas://my-bucket/api-key'] },
];

/** Whether the whole value is a secret reference of REFERENCE_SHAPES. */
export function isSecretReference(value: string): boolean {
  const v = value.trim();
  if (v.length < 5 || !/[:@]|^projects\//.test(v)) return false;
  return REFERENCE_SHAPES.some((shape) => shape.pattern.test(v));
}
