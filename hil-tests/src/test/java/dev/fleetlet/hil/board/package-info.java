/**
 * The device-drivers contract suites bound to a real Raspberry Pi ({@code ContractMode.PLAUSIBILITY}).
 *
 * <p>Data flow: {@code -Dfleetlet.hil.board.config} names a board file; {@link dev.fleetlet.hil.board.HilBoard}
 * parses it with device-drivers' {@code BoardConfigParser}, each {@code *HilTest} picks its entry and opens it
 * through {@code Board.open} (chips, board health) or a {@code Pi4jContexts} context (GPIO, PWM, with the
 * contract's own settings); the contract samples the driver and checks plausibility ranges. GPIO outputs are
 * observed on a loopback input pin, PWM in sysfs. Only the {@code hil-board} Maven profile runs these tests,
 * and each fails without {@code -Dfleetlet.hil.board=pi}. {@code HilBoardWiringTest} checks the wiring in the
 * default build.
 */
package dev.fleetlet.hil.board;
