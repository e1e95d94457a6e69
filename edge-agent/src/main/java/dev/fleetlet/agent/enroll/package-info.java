/**
 * First-boot enrollment: {@link dev.fleetlet.agent.enroll.HardwareProbe} reads the serial and facts from
 * the (injectable) filesystem root, {@link dev.fleetlet.agent.enroll.CredentialStore} generates and keeps
 * the device secret (0600) before the first attempt, {@link dev.fleetlet.agent.enroll.EnrollmentClient}
 * POSTs {@code /api/v1/enroll}, and {@link dev.fleetlet.agent.enroll.Enroller} retries (back-off, pending,
 * refused) until accepted, then stores the credentials. On later boots the stored credentials are used
 * and the server is not contacted.
 */
package dev.fleetlet.agent.enroll;
