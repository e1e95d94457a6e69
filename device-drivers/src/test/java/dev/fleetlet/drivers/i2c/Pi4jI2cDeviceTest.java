package dev.fleetlet.drivers.i2c;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Pi4J adapter against Pi4J's mock I2C provider (a byte FIFO per register, signed bytes). */
class Pi4jI2cDeviceTest {

    private Context context;
    private Pi4jI2cDevice device;

    @BeforeEach
    void createMockContext() {
        context = Pi4J.newContextBuilder().noAutoDetect()
                .add(new MockPlatform())
                .add(MockI2CProvider.newInstance())
                .build();
        device = Pi4jI2cDevice.open(context, "bme", 1, 0x76);
    }

    @AfterEach
    void shutdown() {
        device.close();
        context.shutdown();
    }

    @Test
    void masksTheMockProvidersSignedRegisterByte() throws IOException {
        device.writeRegister(0xD0, 0xA5);

        assertThat(device.readRegister(0xD0)).isEqualTo(0xA5);
        assertThat(device.address()).isEqualTo(0x76);
    }

    @Test
    void readsAndWritesBlocks() throws IOException {
        device.writeBlock(0x88, new byte[] {0x70, 0x6B, (byte) 0x43});

        byte[] buffer = new byte[3];
        device.readBlock(0x88, buffer);

        assertThat(buffer).containsExactly(0x70, 0x6B, 0x43);
    }

    @Test
    void rawWriteAndReadPassThrough() throws IOException {
        device.write(new byte[] {0x24, 0x00});

        byte[] buffer = new byte[2];
        device.read(buffer);

        assertThat(buffer).containsExactly(0x24, 0x00);
    }

    @Test
    void turnsAnEmptyMockRegisterIntoIoException() {
        assertThatThrownBy(() -> device.readRegister(0x10)).isInstanceOf(IOException.class)
                .hasMessageContaining("0x10").hasMessageContaining("0x76");
    }

    @Test
    void turnsAShortBlockReadIntoIoException() throws IOException {
        device.writeBlock(0xF7, new byte[] {1, 2});

        assertThatThrownBy(() -> device.readBlock(0xF7, new byte[8])).isInstanceOf(IOException.class)
                .hasMessageContaining("expected 8");
    }

    @Test
    void refusesUseAfterCloseAndClosesOnce() {
        device.close();
        device.close();

        assertThatThrownBy(() -> device.readRegister(0)).isInstanceOf(IOException.class).hasMessageContaining("closed");
    }

    @Test
    void rejectsAnAddressOutsideSevenBitRange() {
        assertThatThrownBy(() -> Pi4jI2cDevice.open(context, "bad", 1, 0x80))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("address");
    }
}
