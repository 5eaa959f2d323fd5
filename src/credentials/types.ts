/** AWS credentials as vault passes them around. */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Present for temporary credentials. */
  sessionToken?: string;
  /** Present when the credentials expire. */
  expiration?: Date;
}
