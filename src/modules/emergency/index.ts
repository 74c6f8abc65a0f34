export { registerEmergencyEnums, EmergencyResourceKind, RISK_LEVELS, UPSTREAM_REACHES } from './emergency.codes';
export { RISK_SOURCE } from './risk-source.record';
export { EMERGENCY_RESOURCE } from './emergency-resource.record';
export { EmergencyService, haversineKm } from './emergency.service';
export { emergencyResolvers } from './emergency.resolver';
