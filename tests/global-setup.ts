// Placeholder replaced by the foundation: prepares the migrated template database.
export default async function setup() {}
