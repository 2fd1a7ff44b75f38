/** The OCSF schema version every export claims, and how Afterlogin names itself in `metadata.product`. */
export const OCSF_VERSION = '1.5.0'

export const ocsfProduct = (version: string) => ({ name: 'Afterlogin', vendor_name: 'Afterlogin', version })
