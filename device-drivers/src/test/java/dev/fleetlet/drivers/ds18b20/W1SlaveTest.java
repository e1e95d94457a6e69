package dev.fleetlet.drivers.ds18b20;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class W1SlaveTest {

    @Test
    void parsesTheKernelsTwoLines() {
        W1Slave slave = W1Slave.parse("72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=23125\n");

        assertThat(slave.crcOk()).isTrue();
        assertThat(slave.crc()).isEqualTo("57");
        assertThat(slave.milliCelsius()).isEqualTo(23125);
        assertThat(slave.scratchpad()).startsWith(0x72, 0x01, 0x4B);
    }

    @Test
    void parsesAFailedCrcAndNegativeTemperatures() {
        W1Slave slave = W1Slave.parse("5e ff 4b 46 7f ff 02 10 d8 : crc=d9 NO\n5e ff 4b 46 7f ff 02 10 d8 t=-10125");

        assertThat(slave.crcOk()).isFalse();
        assertThat(slave.milliCelsius()).isEqualTo(-10125);
    }

    @Test
    void rejectsTruncatedContentNamingTheLine() {
        assertThatThrownBy(() -> W1Slave.parse("72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n"))
                .hasMessage("expected 2 lines in w1_slave, got 1");
        assertThatThrownBy(() -> W1Slave.parse("72 01 4b : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=1"))
                .hasMessageStartingWith("first line is not");
        assertThatThrownBy(() -> W1Slave.parse("72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=abc"))
                .hasMessageStartingWith("second line is not");
    }

    @Test
    void dallasCrcMatchesRealScratchpads() {
        assertThat(FakeW1Bus.dallasCrc(new int[] {0x72, 0x01, 0x4B, 0x46, 0x7F, 0xFF, 0x0E, 0x10}, 8)).isEqualTo(0x57);
        // the power-on scratchpad 50 05 4b 46 7f ff 0c 10 1c
        assertThat(FakeW1Bus.scratchpad(0x0550)).containsExactly(0x50, 0x05, 0x4B, 0x46, 0x7F, 0xFF, 0x0C, 0x10, 0x1C);
    }
}
