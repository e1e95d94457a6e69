/**
 * TI ADS1115 16-bit ADC over I2C.
 *
 * <p>Flow: {@link dev.fleetlet.drivers.ads1115.Ads1115Sensor#sample()} runs one single-shot conversion
 * per configured {@link dev.fleetlet.drivers.ads1115.Ads1115Config.Channel} (config word from
 * {@link dev.fleetlet.drivers.ads1115.Ads1115Registers}), turns the code into volts and, when the
 * channel has a {@link dev.fleetlet.drivers.ads1115.Ads1115Config.Scaling}, into another quantity (soil
 * moisture %). {@link dev.fleetlet.drivers.ads1115.FakeAds1115} serves voltages from four sources.
 */
package dev.fleetlet.drivers.ads1115;
