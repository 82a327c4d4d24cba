// Queries: what each element asks a FhirSource for, as pure descriptions plus loaders.
// Data flows source -> query -> cache -> model -> element; the cache (when present) sits
// in the source, so a query never knows whether an answer came from the network.
export {};
