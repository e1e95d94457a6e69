package dev.fleetlet.drivers.i2c;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class RegisterMapI2cDeviceTest {

    @Test
    void blockReadAutoIncrementsAndReturnsUnsignedBytes() throws IOException {
        RegisterMapI2cDevice device = new RegisterMapI2cDevice(0x40);
        device.setRegisters(0x10, new byte[] {(byte) 0xA5, 0x01, (byte) 0xFF});

        byte[] buffer = new byte[3];
        device.readBlock(0x10, buffer);

        assertThat(buffer).containsExactly((byte) 0xA5, 0x01, (byte) 0xFF);
        assertThat(device.readRegister(0x10)).isEqualTo(0xA5);
    }

    @Test
    void failsTheNextOperationsThenWorksAgain() throws IOException {
        RegisterMapI2cDevice device = new RegisterMapI2cDevice(0x40);
        device.failNextOperations(2);

        assertThatThrownBy(() -> device.readRegister(0)).isInstanceOf(IOException.class).hasMessageContaining("NACK");
        assertThatThrownBy(() -> device.writeRegister(0, 1)).isInstanceOf(IOException.class);
        device.writeRegister(0, 1);

        assertThat(device.readRegister(0)).isEqualTo(1);
    }

    @Test
    void failsUntilClearedAndOverridesUntilCleared() throws IOException {
        RegisterMapI2cDevice device = new RegisterMapI2cDevice(0x40);
        device.setRegister(0xD0, 0x60);
        device.overrideRegister(0xD0, 0x58);
        device.failUntilCleared();

        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> device.readRegister(0xD0)).isInstanceOf(IOException.class);
        }
        device.failNextOperations(0);
        assertThatThrownBy(() -> device.readRegister(0xD0)).isInstanceOf(IOException.class);

        device.clearFaults();
        assertThat(device.readRegister(0xD0)).isEqualTo(0x60);
    }

    @Test
    void rawTransfersAreRefusedByTheBaseFakeAndRecorded() {
        RegisterMapI2cDevice device = new RegisterMapI2cDevice(0x44);

        assertThatThrownBy(() -> device.write(new byte[] {0x24, 0x00})).isInstanceOf(IOException.class);
        assertThat(device.operations()).containsExactly("raw write 0x24 0x00");
    }

    @Test
    void rejectsRegisterOutsideByteRange() {
        RegisterMapI2cDevice device = new RegisterMapI2cDevice(0x44);

        assertThatThrownBy(() -> device.readRegister(0x100)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("register");
    }
}
