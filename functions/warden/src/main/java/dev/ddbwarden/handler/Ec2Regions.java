package dev.ddbwarden.handler;

import dev.ddbwarden.config.Clients;
import dev.ddbwarden.config.SignedHttp;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * EC2 DescribeRegions without AllRegions ("the Regions that are enabled for your account"), spoken as EC2's Query API
 * on {@link SignedHttp}: the SDK's {@code ec2} module is too large to ship for one call. The answer is XML, read with
 * the JDK's parser, DTDs refused.
 */
final class Ec2Regions {
    static final byte[] REQUEST = "Action=DescribeRegions&Version=2016-11-15".getBytes(StandardCharsets.UTF_8);
    private static final int MAX_BODY = 256 * 1024;

    private final SignedHttp signed;
    private final URI endpoint;
    private final String region;

    Ec2Regions(SdkHttpClient http, URI endpoint, String region, IdentityProvider<? extends AwsCredentialsIdentity> credentials) {
        this.signed = new SignedHttp(http, credentials, "ec2");
        this.endpoint = endpoint;
        this.region = region;
    }

    /** In {@code region}, at the endpoint the SDK's settings name (AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL point it at moto). */
    static Ec2Regions standard(String region, AwsCredentialsProvider credentials) {
        return new Ec2Regions(Clients.http(), SignedHttp.endpoint("EC2", "ec2", region, System::getProperty, System::getenv),
                region, credentials);
    }

    /**
     * The regions enabled for the account whose credentials sign the call.
     *
     * @throws IllegalStateException when EC2 refuses, cannot be reached or answers something unreadable
     */
    Set<String> enabled() {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .encodedPath(endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath())
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8").build();
        SignedHttp.Answer answer;
        try {
            answer = signed.send(request, REQUEST, region, MAX_BODY);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("EC2 did not answer DescribeRegions: " + e.getClass().getSimpleName() + " " + e.getMessage(), e);
        }
        if (!answer.ok()) {
            String why;
            try {
                Document error = parse(answer.body());
                why = text(error, "Code") + " " + text(error, "Message");
            } catch (IllegalStateException e) {
                why = "";
            }
            throw new IllegalStateException(("EC2 refused DescribeRegions: HTTP " + answer.status() + " " + why).strip());
        }
        return regionNames(parse(answer.body()));
    }

    /** The {@code regionName} of each item of {@code regionInfo}. */
    static Set<String> regionNames(Document answer) {
        Set<String> names = new LinkedHashSet<>();
        NodeList nodes = answer.getElementsByTagName("regionName");
        for (int i = 0; i < nodes.getLength(); i++) {
            names.add(nodes.item(i).getTextContent().strip());
        }
        return names;
    }

    static Document parse(byte[] body) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(body));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalStateException("EC2 answered DescribeRegions with something that is not XML", e);
        }
    }

    private static String text(Document document, String tag) {
        NodeList nodes = document.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().strip();
    }
}
